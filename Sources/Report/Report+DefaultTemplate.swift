// The default Markdown template, identical to templates/report.md.mustache (a test checks it), embedded so the
// binary works without the repository. Edit the file, then copy it here.
extension Report {
  public static let defaultMarkdownTemplate = #"""
    ## {{{title}}}

    {{#caption}}
    {{{caption}}}

    {{/caption}}
    | Model | n |{{#columns}} {{{label}}} |{{#hasPaper}} paper |{{/hasPaper}}{{/columns}}
    | --- | ---: |{{#columns}} ---: |{{#hasPaper}} ---: |{{/hasPaper}}{{/columns}}
    {{#rows}}
    | {{{label}}} | {{{n}}} |{{{cellsText}}}
    {{/rows}}

    {{#hasReferenceOnly}}
    *(paper only)*: a row the paper reports that `ablate` does not train; only the paper's numbers are shown.
    {{/hasReferenceOnly}}
    Holes are shown as **hole** with the states of the missing cells; they are never averaged in.

    {{#hasFindings}}
    ### Findings: each row against the row it adds to

    | Row | adds to | Metric | ours Δ (± s.e.) |{{#hasPaper}} paper Δ |{{/hasPaper}} verdict |
    | --- | --- | --- | ---: |{{#hasPaper}} ---: |{{/hasPaper}} --- |
    {{#findings}}
    | {{{row}}} | {{{parent}}} | {{{column}}} | {{{ours}}} |{{#hasPaper}} {{{paper}}} |{{/hasPaper}} {{{verdict}}} |
    {{/findings}}

    **{{{findingsSummary}}}.**{{#hasPaper}} Directions are compared, not magnitudes: the synthetic world is not the paper's data.{{/hasPaper}}{{^hasPaper}} A change counts when it is more than two standard errors (from both rows' seeds) away from zero.{{/hasPaper}}

    {{/hasFindings}}
    {{#hasPlots}}
    ### Plots

    {{#plots}}
    ![{{{title}}}]({{{path}}})
    {{/plots}}

    {{/hasPlots}}
    ### Provenance

    {{#footer}}
    - {{{.}}}
    {{/footer}}
    """#
}
