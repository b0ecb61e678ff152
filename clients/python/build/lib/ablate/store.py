"""Reads an ablate store (SQLite) into plain rows, or a pandas DataFrame, read-only.

One row per cell: its identity (experiment, variant, grid point, seed), state and times, resolved config,
final metrics and provenance (commit, dirty flag, diff hash, host), so results can be grouped by code revision.
The store is opened read-only, so reading never blocks or disturbs a runner that is writing it.
"""

import json
import sqlite3

_CELLS = """
SELECT c.id, c.experiment, c.variant, c.grid_point, c.seed, c.status, c.attempt, c.started_at, c.ended_at,
       c.duration, c.exit_code, c.error_text, c.config, c.config_hash, c.trainer, c.output_dir, p.json
FROM cells c LEFT JOIN provenance p ON p.id = c.provenance_id
{where}
ORDER BY c.experiment, c.variant, c.grid_point, c.seed
"""


def _connect(path):
    # mode=ro: never creates, migrates or writes the store.
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    connection.row_factory = sqlite3.Row
    return connection


def _provenance(text):
    if not text:
        return {"commit": None, "branch": None, "dirty": None, "diff_sha256": None, "host": None,
                "ablate_version": None}
    p = json.loads(text)
    git = p.get("git") or {}
    return {
        "commit": git.get("commit"),
        "branch": git.get("branch"),
        "dirty": git.get("dirty"),
        "diff_sha256": git.get("diffSHA256"),
        "host": p.get("host"),
        "ablate_version": p.get("ablateVersion"),
    }


def read_rows(path, experiment=None, status=None):
    """The store's cells as a list of dicts (optionally one experiment's, or one status's).

    Keys: id, experiment, variant, grid_point (dict), seed, status, attempt, started_at, ended_at (Unix
    seconds), duration, exit_code, error_text, config (dict), config_hash, trainer, output_dir,
    metrics (final values by name), commit, branch, dirty, diff_sha256, host, ablate_version.
    """
    clauses, arguments = [], []
    if experiment is not None:
        clauses.append("c.experiment = ?")
        arguments.append(experiment)
    if status is not None:
        clauses.append("c.status = ?")
        arguments.append(status)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    with _connect(path) as db:
        cells = db.execute(_CELLS.format(where=where), arguments).fetchall()
        finals = {}
        for row in db.execute("SELECT cell_id, name, value FROM metrics_final"):
            finals.setdefault(row["cell_id"], {})[row["name"]] = row["value"]
    rows = []
    for c in cells:
        row = {key: c[key] for key in c.keys() if key not in ("grid_point", "config", "json")}
        row["grid_point"] = json.loads(c["grid_point"]) if c["grid_point"] else {}
        row["config"] = json.loads(c["config"]) if c["config"] else {}
        row["metrics"] = finals.get(c["id"], {})
        row.update(_provenance(c["json"]))
        rows.append(row)
    return rows


def read_dataframe(path, experiment=None, status=None):
    """`read_rows` as a pandas DataFrame: grid axes as `grid.<path>` columns, final metrics as
    `metrics.<name>` columns, the config as a dict column. Needs pandas."""
    try:
        import pandas
    except ImportError as error:
        raise ImportError("ablate.read_dataframe needs pandas (pip install pandas); "
                          "ablate.read_rows gives the same rows as dicts") from error
    flat = []
    for row in read_rows(path, experiment=experiment, status=status):
        out = {k: v for k, v in row.items() if k not in ("grid_point", "metrics")}
        for axis, value in row["grid_point"].items():
            out[f"grid.{axis}"] = value
        for name, value in row["metrics"].items():
            out[f"metrics.{name}"] = value
        flat.append(out)
    return pandas.DataFrame(flat)
