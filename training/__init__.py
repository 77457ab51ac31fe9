"""Training of the check-worthiness model: research and training code, not runtime code.

Runs from a source checkout (``python -m training`` or ``manage.py train_claim_model``); it
is not in the factcheck wheel nor in the production image. It imports the runtime pipeline
(``extraction``: features, the conv head's inference half, the scorer) to build and
check what the runtime loads; the runtime never imports this package.

- ``cli``: the command line; ``train``: cross-validation, the final fit, the model files
- ``fit``: the students, their blend and the context head; ``conv_fit``: the conv head's
  numpy backprop and Adam; ``teacher``, ``augment``: the distillation inputs
- ``metrics``, ``evaluate``: the figures of the model card; ``card``: its generated block
- ``inputs/teacher_logits.npz``: the teacher's logits (``--teachers`` rebuilds them)
"""
