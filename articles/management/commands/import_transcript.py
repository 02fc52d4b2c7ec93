"""python manage.py import_transcript FILE [--forum SLUG] [--dry-run] [--format json] [--as-publisher USER]

Reads a .txt or .docx transcript, parses it and saves it as a draft part (all or
nothing). With --dry-run nothing is saved and the parse is printed; --format json
prints the JSON shape documented in the README. An unreadable file is an error that
names the problem and the line; the command then exits with status 1.

The command follows the rule the admin follows (articles.live_content): an import that
would add participants to a roundtable public or scheduled parts show is refused, naming
the roundtable, unless --as-publisher names a 公開担当's account; then it is done in that
person's name and recorded in those parts' 操作記録 and 変更履歴. The imported draft starts
its own history and audit trail, as an import in the admin does.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.importer import (
    ImportChangesLiveParts,
    ImportConflict,
    ImportProblem,
    parse_for_import,
    save_transcript,
)
from articles.sources import read_transcript_file
from articles.transcript import TranscriptError, documented_shape
from articles.versioning import keep_imported
from articles.workflow import can_publish
from forum.models import Forum
from forum.web.seo import absolute_url


def admin_url(article):
    """Where an editor opens the part: its admin page (a draft has no public page yet)."""
    return absolute_url(reverse("admin:articles_article_change", args=[article.pk]))


class Command(BaseCommand):
    help = "Import a transcript (.txt or .docx) as a draft part; --dry-run only prints the parse."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the transcript: .txt (UTF-8, UTF-16 or Shift_JIS) or .docx")
        parser.add_argument("--forum", metavar="SLUG", help="the forum to import into (default: the only one)")
        parser.add_argument("--number", type=int, metavar="N", help="the roundtable number when the text has no 第N回")
        parser.add_argument("--dry-run", action="store_true", help="parse and print, save nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="output of --dry-run")
        parser.add_argument(
            "--as-publisher",
            metavar="USER",
            help="import as this 公開担当 (username): needed to add participants to a roundtable a public part shows",
        )

    def handle(self, *args, file, forum, number, dry_run, format, as_publisher=None, **options):
        user = self._publisher(as_publisher) if as_publisher else None
        path = Path(file)
        try:
            with path.open("rb") as stream:
                transcript = parse_for_import(read_transcript_file(path.name, stream))
        except OSError as error:
            raise CommandError(_("%(file)s: 読み込めません(%(problem)s)。") % {"file": file, "problem": error.strerror})
        except TranscriptError as error:
            raise CommandError(f"{file}: {error}")
        data = transcript.to_dict()
        if dry_run and forum:
            self._forum(forum)  # an unknown forum fails the dry run as it fails the import
        if dry_run and format == "json":
            self.stdout.write(json.dumps(documented_shape(data), ensure_ascii=False, indent=2))
            return
        for warning in data["warnings"]:
            self.stderr.write(
                _("%(file)s: %(line)d行目: %(message)s")
                % {"file": file, "line": warning["line"], "message": warning["message"]}
            )
        if dry_run:
            self._summary(data)
            return
        try:
            article = save_transcript(data, self._forum(forum), roundtable_number=number, user=user, check_live=True)
        except ImportChangesLiveParts as problem:
            raise CommandError(
                f"{file}: {problem} "
                + _("公開担当が取り込むときは --as-publisher ユーザー名 を付けて実行してください。")
            )
        except ImportConflict as conflict:
            raise CommandError(f"{file}: {conflict} {admin_url(conflict.article)}")
        except ImportProblem as problem:
            raise CommandError(f"{file}: {problem}")
        except ValidationError as error:
            raise CommandError(f"{file}: {' '.join(error.messages)}")
        keep_imported(article, user)  # history and audit start with the import, as in the admin
        self.stdout.write(
            self.style.SUCCESS(
                _("取り込みました(下書き): %(title)s → %(url)s") % {"title": article.title, "url": admin_url(article)}
            )
        )

    def _publisher(self, username):
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None or not can_publish(user):
            raise CommandError(
                _(
                    "「%(user)s」は公開担当のアカウントではありません(--as-publisher には公開担当のユーザー名を指定します)。"
                )
                % {"user": username}
            )
        return user

    def _forum(self, slug):
        if slug:
            forum = Forum.objects.filter(slug=slug).first()
            if forum is None:
                raise CommandError(_("フォーラム「%(slug)s」はありません。") % {"slug": slug})
            return forum
        forums = list(Forum.objects.order_by("slug")[:2])
        if len(forums) != 1:
            slugs = ", ".join(Forum.objects.values_list("slug", flat=True)) or "—"
            raise CommandError(_("--forum でフォーラムを指定してください(候補: %(slugs)s)。") % {"slugs": slugs})
        return forums[0]

    def _summary(self, data):
        rt, part = data["roundtable"], data["part"]
        lines = [
            f"{data['title']}",
            _("第%(number)s回 %(title)s 開催日 %(held_on)s パート %(part)s/%(of)s")
            % {
                "number": rt["number"] or "?",
                "title": rt["title"] or "",
                "held_on": rt["held_on"] or "?",
                "part": part["number"] or 1,
                "of": part["of"] or "?",
            },
        ]
        turns = [b for s in data["sections"] for b in s["blocks"] if b["type"] == "turn"]
        for p in data["participants"]:
            count = sum(1 for t in turns if t["speaker"] == p["label"])
            printed = f"{p['title']}:{p['name']}" if p["title"] else p["name"]
            lines.append(f"  {p['label']}: {printed} ({count})")
        lines.append(_("  地の文: (%(count)d)") % {"count": sum(1 for t in turns if t["speaker"] is None)})
        for section in data["sections"]:
            lines.append(
                f"# {section['heading'] or '—'}" + (f" / {section['subheading']}" if section["subheading"] else "")
            )
        self.stdout.write("\n".join(lines))
