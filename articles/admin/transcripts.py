"""Admin views for transcripts: import (paste or upload → preview → save) and export.

Mounted by ArticleAdmin.get_urls; every view runs inside admin_site.admin_view, checks the
model admin's permissions and finds the part with ArticleAdmin.get_part.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from articles.admin.forms import TranscriptImportForm, preview_digest
from articles.exporter import FORMATS, as_json, export_parts, export_roundtable, render_part
from articles.importer import (
    ImportChangesLiveParts,
    ImportConflict,
    ImportProblem,
    ImportTooLong,
    existing_organisation,
    existing_part,
    existing_person,
    existing_role,
    missing_import_permissions,
    resolve_roundtable_number,
    save_transcript,
)
from articles.transcript import Figure, Turn
from articles.reconcile import KEEP, NARRATION, NEW, apply_choices, uncertain_speakers
from articles.versioning import keep_imported
from forum.conventions import dual_date
from forum.models import Forum, Roundtable


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    missing = missing_import_permissions(request.user)
    if missing:
        # The list's 取り込む button shows to anyone who may add parts; say what is lacking.
        messages.error(
            request,
            _("原稿を取り込むには、次のものを追加する権限も必要です: %(models)s。管理者に依頼してください。")
            % {"models": "、".join(str(model._meta.verbose_name) for model in missing)},
        )
        return redirect(reverse("admin:articles_article_changelist"))
    preview = None
    if request.method == "POST":
        form = TranscriptImportForm(request.POST, request.FILES)
        if form.is_valid():
            data, problems = form.cleaned_data, []
            if request.POST.get("action") == "save" and form.is_previewed():
                # The editor's answers for the uncertain speakers, applied before saving.
                apply_choices(data["transcript"], uncertain_speakers(data["transcript"]), request.POST)
                saved, problems = _save(request, data)
                if saved is not None:
                    return redirect(reverse("admin:articles_article_change", args=[saved.pk]))
            elif request.POST.get("action") == "save":
                messages.warning(
                    request,
                    _(
                        "原稿・フォーラム・回のいずれかが確認のあとで変わりました。新しい読み取り結果を確かめてから保存してください。"
                    ),
                )
            # Show the text actually read (an uploaded file's too), ready to correct and re-parse.
            fresh = request.POST.copy()
            fresh["text"] = data["text"]
            fresh["previewed"] = preview_digest(data["text"], data["forum"], data["roundtable_number"])
            form = TranscriptImportForm(fresh)
            form.is_valid()
            for field, message in problems:
                form.add_error(field, message)
            preview = build_preview(
                data["text"], data["transcript"], data["forum"], data["roundtable_number"], choices=request.POST
            )
    else:
        form = TranscriptImportForm(initial={"forum": Forum.objects.order_by("pk").first()})
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("原稿を取り込む"),
        "form": form,
        "preview": preview,
    }
    return TemplateResponse(request, "admin/articles/article/import_transcript.html", context)


def _save(request, data):
    """Save the previewed parse: (article, []) or, with nothing saved, (None, [(field, message)])."""
    try:
        article = save_transcript(
            data["transcript"].to_dict(),
            data["forum"],
            roundtable_number=data["roundtable_number"],
            user=request.user,
        )
    except ImportConflict as conflict:
        url = reverse("admin:articles_article_change", args=[conflict.article.pk])
        return None, [(None, format_html('{} <a href="{}">{}</a>', str(conflict), url, _("登録済みの記事を開く")))]
    except (ImportTooLong, ImportChangesLiveParts) as problem:
        return None, [(None, str(problem))]
    except ImportProblem as problem:
        return None, [("roundtable_number", str(problem))]
    except ValidationError as error:
        return None, [(None, message) for message in error.messages]
    keep_imported(article, request.user)  # history and audit start with the import
    messages.success(
        request,
        _("「%(title)s」を取り込みました(下書き)。内容を確かめてから公開してください。") % {"title": article.title},
    )
    return article, []


def build_preview(text, transcript, forum, number_override, choices=None):
    """What the editor checks before saving: structure, matches on file, warnings with lines,
    and a choice for every speaker the parser is unsure of (kept across re-previews)."""
    choices = choices or {}
    data = transcript.to_dict()
    source = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    blocks = [block for section in transcript.sections for block in section.blocks]
    turn_counts = Counter(block.speaker for block in blocks if isinstance(block, Turn))
    try:
        number = resolve_roundtable_number(data, number_override)
    except ImportProblem as problem:
        number, missing_number = None, str(problem)
    else:
        missing_number = None
    conflict = existing_part(data, forum, number_override) if number else None
    held_on = transcript.roundtable.held_on
    return {
        "data": data,
        "number": number,
        "missing_number": missing_number,
        "held_on": dual_date(held_on) if held_on else None,
        "roundtable_on_file": Roundtable.objects.filter(forum=forum, number=number).first() if number else None,
        "conflict": conflict,
        "conflict_url": reverse("admin:articles_article_change", args=[conflict.pk]) if conflict else None,
        "warnings": [
            {
                "line": w.line,
                "message": w.message,
                "source": source[w.line - 1].strip() if 0 < w.line <= len(source) else "",
            }
            for w in transcript.warnings
        ],
        "participants": [_participant_row(p, turn_counts[p.label]) for p in transcript.participants],
        "narration_count": turn_counts[None],
        "turn_count": sum(turn_counts.values()),
        "sections": [
            {
                "heading": section.heading,
                "subheading": section.subheading,
                "blocks": [
                    {
                        "figure": isinstance(block, Figure),
                        "line": block.line,
                        "speaker": getattr(block, "speaker", None),
                        "text": getattr(block, "text", None) or getattr(block, "ref", ""),
                    }
                    for block in section.blocks
                ],
            }
            for section in transcript.sections
        ],
        "can_save": bool(number) and conflict is None,
        "reconcile": [
            {
                **item,
                "source": source[item["line"] - 1].strip() if 0 < item["line"] <= len(source) else "",
                "chosen": choices.get(item["key"], KEEP),
                "new_name": choices.get(f"{item['key']}-name", ""),
                "new_title": choices.get(f"{item['key']}-title", ""),
            }
            for item in uncertain_speakers(transcript)
        ],
        "choice_values": {"keep": KEEP, "new": NEW, "narration": NARRATION},
    }


def _participant_row(participant, turns):
    organisation = existing_organisation(participant.organisation) if participant.organisation else None
    return {
        "participant": participant,
        "person": existing_person(participant.name),
        "organisation_on_file": organisation,
        "roles": [(role, existing_role(role) is not None) for role in participant.roles],
        "turns": turns,
    }


def export_view(model_admin, request, object_id, fmt):
    article = model_admin.get_part(request, object_id)
    if fmt not in FORMATS:
        raise Http404
    extension, content_type, _render = FORMATS[fmt]
    return _download(render_part(article, fmt), content_type, f"{article.slug}.{extension}")


def export_roundtable_view(model_admin, request, object_id):
    roundtable = model_admin.get_part(request, object_id).roundtable
    filename = f"{roundtable.forum.slug}-{roundtable.number}.json"
    return _download(as_json(export_roundtable(roundtable)), "application/json", filename)


def export_parts_response(queryset):
    """The selected parts as one JSON document, in roundtable and part order."""
    parts = export_parts(queryset.order_by("roundtable__forum", "roundtable__number", "part_number"))
    return _download(as_json({"parts": parts}), "application/json", "parts.json")


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
