"""SGG trainer: SFT and GRPO for scene-graph generation (R1-SGG method, spec section e).

Reads a run config (JSON), trains a model through one small adapter interface, asks the reward service
for rewards, writes checkpoints to the run directory and prints versioned JSON-line events on stdout.
"""

__version__ = "0.1.0"
