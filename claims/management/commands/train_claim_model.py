"""`manage.py train_claim_model`: retrain the shipped check-worthiness model.

A thin wrapper around ``python -m training`` (the ``training`` package, see its ``cli``).
Training is not runtime code: the package is in a source checkout only, never in the wheel
or the production image, so it is imported when the command runs and its absence is an
error that says where to run it. Fixed seed: the same data gives the same model files and
the same cross-validated figures.

``--from-reviews`` is different: it fits the desk layer on this installation's reviewer
decisions (``claims.desk_model``, runtime code) and needs no training package.
"""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand, CommandError

MISSING_TRAINING = (
    "the training package is not installed here: it is in a source checkout of factcheck only "
    "(not in the wheel or the Docker image). Run this command, or `python -m training`, from "
    'the repository root; `pip install -e ".[train]"` adds what --teachers and '
    "--distill-embeddings need."
)


def _training_cli():
    """``training.cli``, or None when the package is not importable here."""
    try:
        return importlib.import_module("training.cli")
    except ModuleNotFoundError as exc:
        if exc.name not in ("training", "training.cli"):
            raise
        return None


class Command(BaseCommand):
    help = "Train the check-worthiness model from a JSONL file and write it with its metadata."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if _training_cli() is None:
            # Without the package its options are unknown: accept whatever was given, so the
            # error in handle() names the real problem, not argparse's "unrecognized arguments".
            def parse_args(args=None, namespace=None):
                return parser.parse_known_args(args, namespace)[0]

            parser.parse_args = parse_args
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-reviews",
            action="store_true",
            help="fit a desk layer on this desk's reviewer decisions (claims.desk_model); it is "
            "activated only if it beats the shipped model on held-back articles",
        )
        cli = _training_cli()
        if cli is not None:
            cli.add_arguments(parser)

    def handle(self, *args, **options):
        """Run ``training.cli.run`` with the parsed options (or the desk layer's fit)."""
        if options.get("from_reviews"):
            return self._from_reviews()
        cli = _training_cli()
        if cli is None:
            raise CommandError(MISSING_TRAINING)
        code = cli.run(
            data=options["data"],
            out=options["out"],
            embeddings=options["embeddings"],
            oof_dir=options["oof_dir"],
            distill_embeddings=options["distill_embeddings"],
            teacher_logits=options["teacher_logits"],
            no_teacher=options["no_teacher"],
            teachers=options["teachers"],
            news=options["news"],
            news_data=options["news_data"],
            subjectivity=options["subjectivity"],
            log=lambda msg: self.stdout.write(str(msg)),
        )
        if code:
            raise CommandError(f"training failed (exit status {code}); see the messages above")

    def _from_reviews(self) -> None:
        """Runtime code, not the training package: works in the production image too."""
        from claims.desk_model import desk_model_train

        result = desk_model_train()
        if result.version is None:
            self.stdout.write(result.message)
            return
        for part in ("cross_validated", "held_back"):
            block = result.figures[part]
            for when in ("before", "after"):
                f = block[when]
                label = "shipped model" if when == "before" else "with desk layer"
                self.stdout.write(
                    f"{part.replace('_', '-'):<15} {label:<16} AP {f['ap']:.3f}  F1 {f['f1']:.3f}"
                    f"  precision {f['precision']:.3f}  recall {f['recall']:.3f}"
                    f"  ({f['decisions']} decisions, {f['claims']} claims)"
                )
        self.stdout.write(result.message)
