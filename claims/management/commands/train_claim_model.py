"""`manage.py train_claim_model`: retrain the shipped check-worthiness model.

A thin wrapper: the logic lives in ``extraction.train`` (also runnable as
``python -m extraction.train`` without Django). Fixed seed, so the same data
gives the same model files and the same cross-validated figures.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from extraction import train


class Command(BaseCommand):
    help = "Train the check-worthiness model from a JSONL file and write it with its metadata."

    def add_arguments(self, parser):
        train.add_arguments(parser)

    def handle(self, *args, **options):
        """Run ``extraction.train`` with the parsed options."""
        code = train.run(
            data=options["data"],
            out=options["out"],
            embeddings=options["embeddings"],
            score_proposer=options["score_proposer"],
            oof_dir=options["oof_dir"],
            distill_embeddings=options["distill_embeddings"],
            teacher_logits=options["teacher_logits"],
            no_teacher=options["no_teacher"],
            teachers=options["teachers"],
            log=lambda msg: self.stdout.write(str(msg)),
        )
        if code:
            raise CommandError(f"training failed (exit status {code}); see the messages above")
