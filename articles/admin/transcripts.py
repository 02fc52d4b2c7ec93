"""Admin views for transcripts: import (paste or upload → preview → save) and export.

Mounted by ArticleAdmin.get_urls; every view runs inside admin_site.admin_view, checks the
model admin's permissions and finds the part with ArticleAdmin.get_part.
"""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
    format_of,
    missing_import_permissions,
    NUMBER_OPTIONAL,
    next_free_number,
    number_is_proposed,
    resolve_roundtable_number,
    save_transcript,
    thin_reading_warnings,
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
    may_add_forum = request.user.has_perm("forum.add_forum")
    if request.method == "POST":
        form = TranscriptImportForm(request.POST, request.FILES, may_add_forum=may_add_forum)
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
            form = TranscriptImportForm(fresh, may_add_forum=may_add_forum)
            form.is_valid()
            for field, message in problems:
                form.add_error(field, message)
            preview = build_preview(
                data["text"],
                data["transcript"],
                data["forum"],
                data["roundtable_number"],
                choices=request.POST,
                number_hidden=data.get("number_hidden", False),
            )
    else:
        form = TranscriptImportForm(
            initial={"forum": Forum.objects.order_by("pk").first()}, may_add_forum=may_add_forum
        )
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
    forum = data["forum"]
    try:
        with transaction.atomic():
            if forum.pk is None:  # a new forum, created with the part (or not at all)
                forum.full_clean()
                forum.save()
            article = save_transcript(
                data["transcript"].to_dict(),
                forum,
                roundtable_number=data["roundtable_number"],
                number_hidden=data.get("number_hidden", False),
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
    if data.get("new_forum_name") and forum.name == data["new_forum_name"].strip():
        messages.info(request, _("フォーラム「%(name)s」を新しく作りました。") % {"name": forum.name})
    return article, []


def build_preview(text, transcript, forum, number_override, choices=None, number_hidden=False):
    """What the editor checks before saving: structure, matches on file, warnings with lines,
    and a choice for every speaker the parser is unsure of (kept across re-previews)."""
    choices = choices or {}
    data = transcript.to_dict()
    source = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    blocks = [block for section in transcript.sections for block in section.blocks]
    turn_counts = Counter(block.speaker for block in blocks if isinstance(block, Turn))
    saved_forum = forum if forum.pk is not None else None  # a new forum has nothing on file yet
    try:
        number = resolve_roundtable_number(data, number_override, forum)
    except ImportProblem as problem:
        number, missing_number = None, str(problem)
    else:
        missing_number = None
    conflict = existing_part(data, saved_forum, number_override) if number and saved_forum else None
    held_on = transcript.roundtable.held_on
    return {
        "data": data,
        "number": number,
        "number_proposed": bool(number) and number_is_proposed(data, number_override),
        "number_optional": format_of(data) in NUMBER_OPTIONAL,
        "number_hidden": number_hidden,
        "format": format_of(data).label,
        "missing_number": missing_number,
        "held_on": dual_date(held_on) if held_on else None,
        "forum": forum,
        "new_forum": saved_forum is None,
        "roundtable_on_file": (
            Roundtable.objects.filter(forum=saved_forum, number=number).first() if number and saved_forum else None
        ),
        "conflict": conflict,
        "conflict_message": _conflict_message(conflict, data, saved_forum) if conflict else None,
        "conflict_url": reverse("admin:articles_article_change", args=[conflict.pk]) if conflict else None,
        "thin": thin_reading_warnings(data),
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


def _conflict_message(conflict, data, forum):
    """Same text again: say so. Another article on that 回 and part: name it and what to change."""
    if conflict.title == data.get("title"):
        return _("この記事は既に取り込まれています。同じ記事を二重に作らないため、保存できません。")
    return _(
        "「%(forum)s」の第%(number)s回のパート%(part)sには、別の記事が登録されています。"
        "この原稿を別の記事として取り込むなら、「回」に空いている回(例: 第%(next)s回)を入れるか、"
        "別のフォーラムを選んでください。同じ記事なら、登録済みの記事を開いて直してください。"
    ) % {
        "forum": forum.name,
        "number": conflict.roundtable.number,
        "part": conflict.part_number,
        "next": next_free_number(forum),
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
