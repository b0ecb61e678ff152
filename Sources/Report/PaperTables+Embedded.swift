// Generated from reference/paper-tables.yaml; a test checks the two are identical, so edit the YAML and
// copy it here. Embedded so `ablate report` works without the repository.
extension PaperTables {
  /// The paper's numbers, as in `reference/paper-tables.yaml`.
  public static let embeddedYAML = #"""
    # Reference numbers transcribed from the seed papers (facts, for side-by-side reports).
    # VL-BERT: Su et al., ICLR 2020 (seed 001_0303f683b9157587.txt), Tables 1-4.
    # VisualBERT: Li et al., 2019 (seed 002_aedd40736673a32f.txt), Tables 1-5.
    # null = not reported in the paper. Accuracies are percentages.

    vlbert:
      table1_vcr:
        caption: "Comparison to the state-of-the-art methods with single model on the VCR dataset."
        columns: [q2a_val, q2a_test, qa2r_val, qa2r_test, q2ar_val, q2ar_test]
        rows:
          - {model: "R2C",                          kind: task-specific, values: [63.8, 65.1, 67.2, 67.3, 43.1, 44.0]}
          - {model: "ViLBERT",                      kind: two-stream,    values: [72.4, 73.3, 74.5, 74.6, 54.0, 54.8]}
          - {model: "VisualBERT",                   kind: single-stream, values: [70.8, 71.6, 73.2, 73.2, 52.2, 52.4]}
          - {model: "B2T2",                         kind: single-stream, values: [71.9, 72.6, 76.0, 75.7, 54.9, 55.0]}
          - {model: "VL-BERT-BASE w/o pre-training", kind: vl-bert,      values: [73.1, null, 73.8, null, 54.2, null]}
          - {model: "VL-BERT-BASE",                 kind: vl-bert,       values: [73.8, null, 74.4, null, 55.2, null]}
          - {model: "VL-BERT-LARGE",                kind: vl-bert,       values: [75.5, 75.8, 77.9, 78.4, 58.9, 59.7]}
      table2_vqa:
        caption: "Comparison to the state-of-the-art methods with single model on the VQA dataset."
        columns: [test_dev, test_std]
        rows:
          - {model: "BUTD",                          kind: task-specific, values: [65.32, 65.67]}
          - {model: "ViLBERT",                       kind: two-stream,    values: [70.55, 70.92]}
          - {model: "VisualBERT",                    kind: single-stream, values: [70.80, 71.00]}
          - {model: "LXMERT",                        kind: two-stream,    values: [72.42, 72.54]}
          - {model: "VL-BERT-BASE w/o pre-training", kind: vl-bert,       values: [69.58, null]}
          - {model: "VL-BERT-BASE",                  kind: vl-bert,       values: [71.16, null]}
          - {model: "VL-BERT-LARGE",                 kind: vl-bert,       values: [71.79, 72.22]}
      table3_refcoco_plus:
        caption: "Comparison to the state-of-the-art methods with single model on the RefCOCO+ dataset."
        columns: [gt_val, gt_testA, gt_testB, det_val, det_testA, det_testB]
        rows:
          - {model: "MAttNet",                       kind: task-specific, values: [71.01, 75.13, 66.17, 65.33, 71.62, 56.02]}
          - {model: "ViLBERT",                       kind: two-stream,    values: [null, null, null, 72.34, 78.52, 62.61]}
          - {model: "VL-BERT-BASE w/o pre-training", kind: vl-bert,       values: [74.41, 77.28, 67.52, 66.03, 71.87, 56.13]}
          - {model: "VL-BERT-BASE",                  kind: vl-bert,       values: [79.88, 82.40, 75.01, 71.60, 77.72, 60.99]}
          - {model: "VL-BERT-LARGE",                 kind: vl-bert,       values: [80.31, 83.62, 75.45, 72.59, 78.57, 62.30]}
      table4_ablation:
        caption: "Ablation study for VL-BERT-BASE with 0.5x fine-tuning epochs."
        factors: [mlm_visual_clues, mrc_linguistic_clues, sentence_image_relation, text_only_corpus, tune_fast_rcnn]
        columns: [vcr_q2a_val, vcr_qa2r_val, vqa_test_dev, refcoco_plus_det_val]
        rows:
          - {setting: "w/o pre-training", factors: [],                                   values: [72.9, 73.0, 69.5, 62.7]}
          - {setting: "(a)",              factors: [mlm_visual_clues],                   values: [72.9, 73.1, 71.0, 69.1]}
          - {setting: "(b)",              factors: [mlm_visual_clues, mrc_linguistic_clues], values: [73.0, 73.1, 71.1, 70.7]}
          - {setting: "(c)",              factors: [mlm_visual_clues, mrc_linguistic_clues, sentence_image_relation], values: [72.2, 72.4, 70.3, 69.5]}
          - {setting: "(d)",              factors: [mlm_visual_clues, mrc_linguistic_clues, text_only_corpus], values: [73.4, 73.8, 71.1, 70.7]}
          - {setting: "VL-BERT-BASE",     factors: [mlm_visual_clues, mrc_linguistic_clues, text_only_corpus, tune_fast_rcnn], values: [73.8, 73.9, 71.2, 71.1]}
      pretraining_setup:
        steps: 250000
        batch: 256            # 128 caption-image pairs + 128 text-only sequences (<= 64 tokens)
        optimizer: {name: adam, lr: 2.0e-5, beta1: 0.9, beta2: 0.999, weight_decay: 1.0e-4, warmup_steps: 8000, schedule: linear-decay}
        mask_prob: {words: 0.15, rois: 0.15}
        rois_per_image: {min: 10, max: 100, score_threshold: 0.5}
      finetuning_setup:
        vcr:     {epochs: 20, batch: 256, optimizer: sgd, lr: 5.0e-3, momentum: 0.9, weight_decay: 1.0e-4, warmup_steps: 1000, schedule: "x0.1 at epochs 14 and 18"}
        vqa:     {epochs: 20, batch: 256, optimizer: adam, lr: 1.0e-4, weight_decay: 1.0e-4, warmup_steps: 2000, schedule: linear-decay, answers: 3129}
        refcoco: {epochs: 20, batch: 256, optimizer: adam, lr: 1.0e-4, weight_decay: 1.0e-4, warmup_steps: 500, schedule: linear-decay}

    visualbert:
      table1_vqa:
        columns: [test_dev, test_std]
        rows:
          - {model: "VisualBERT w/o Early Fusion",      values: [68.18, null]}
          - {model: "VisualBERT w/o COCO Pre-training", values: [70.18, null]}
          - {model: "VisualBERT",                       values: [70.80, 71.00]}
      table2_vcr:
        columns: [q2a_dev, q2a_test, qa2r_dev, qa2r_test, q2ar_dev, q2ar_test]
        rows:
          - {model: "VisualBERT w/o Early Fusion",      values: [70.1, null, 71.9, null, 50.6, null]}
          - {model: "VisualBERT w/o COCO Pre-training", values: [67.9, null, 69.5, null, 47.9, null]}
          - {model: "VisualBERT",                       values: [70.8, 71.6, 73.2, 73.2, 52.2, 52.4]}
      table5_nlvr2_ablation:
        columns: [dev]
        rows:
          - {model: "VisualBERT",                              values: [66.7]}
          - {model: "VisualBERT w/o Grounded Pre-training",    values: [63.9]}
          - {model: "VisualBERT w/o COCO Pre-training",        values: [62.9]}
          - {model: "VisualBERT w/o Early Fusion",             values: [61.4]}
          - {model: "VisualBERT w/o BERT Initialization",      values: [64.7]}
          - {model: "VisualBERT w/o Objective 2 (sentence-image prediction)", values: [64.9]}
    """#
}
