"""Studies built on the model: runs and comparisons, virtual trials, sweeps, sensitivity analyses, validation."""
