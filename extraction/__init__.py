"""Claim extraction pipeline: plain Python, no Django imports.

Text in, dataclasses out. Entry points:

- ``segment.split_sentences(body)`` -> list[Sentence] with exact offsets
- ``pipeline.propose(body, language=...)`` -> ProposalResult
- ``scoring.load_scorer(name)`` -> a Scorer for ``ScoringItem`` batches
"""
