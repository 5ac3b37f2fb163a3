"""Reports: per-dyad and daily tables, result files and figures (the slide style)."""
