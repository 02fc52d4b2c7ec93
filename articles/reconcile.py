"""Reconciling speakers in the import preview (mySociety SayIt #261).

A label that matches no participant of the block, a label two participants could both be
(they share a surname), and an unlabelled answer are each listed with a choice: one of the
cast, a new participant (name, title), or narration. The choice is applied to the parsed
transcript when it is saved, without retyping the text.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

from articles.transcript import make_participant

KEEP, NARRATION, NEW, CAST = "", "narration", "new", "cast:"


def _norm(text):
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _surname(participant):
    return (participant.name.split() or [participant.name])[0]


def uncertain_speakers(transcript):
    """The decisions the editor is asked for, one per unknown label or unlabelled answer."""
    items, seen = [], set()
    unknown = {entry["label"] for entry in transcript.unmatched if entry["label"]}
    cast = [p for p in transcript.participants if p.label not in unknown]
    for entry in transcript.unmatched:
        label = entry["label"]
        if label and label in seen:
            continue
        seen.add(label)
        sharing = [p for p in cast if label and (_norm(label).startswith(_norm(_surname(p))) and _surname(p))]
        items.append(
            {
                "key": f"speaker-{len(items) + 1}",
                "line": entry["line"],
                "label": label,
                "certainty": round(entry.get("certainty", 0.5) * 100),
                "reason": (
                    _("ラベル「%(label)s」は参加者欄のどの人にも一致しません。") % {"label": label}
                    if label
                    else _("質問のあとのラベルのない回答です。")
                ),
                "sharing": [p.label for p in sharing] if len(sharing) > 1 else [],
                "cast": [(CAST + p.label, f"{p.name}({p.title})" if p.title else p.name) for p in cast],
            }
        )
    return items


def apply_choices(transcript, items, post):
    """Apply the editor's choices (from the submitted form) to the parsed ``transcript``."""
    for item in items:
        choice = post.get(item["key"], KEEP)
        label = item["label"]
        if choice.startswith(CAST):
            target = choice[len(CAST) :]
            if not any(p.label == target for p in transcript.participants) or target == label:
                continue
        elif choice == NEW:
            name = (post.get(f"{item['key']}-name") or "").strip()
            if not name:
                continue
            title = (post.get(f"{item['key']}-title") or "").strip()
            person = make_participant(title, name, label or None)
            if any(p.label == person.label and p.label != label for p in transcript.participants):
                person.label = re.sub(r"\s+", "", name)
            transcript.participants = [p for p in transcript.participants if not label or p.label != label]
            transcript.participants.append(person)
            target = person.label
        elif choice == NARRATION:
            target = None
        else:
            continue
        for section in transcript.sections:
            for block in section.blocks:
                if not hasattr(block, "text"):
                    continue
                if (label and block.speaker == label) or (not label and block.line == item["line"]):
                    block.speaker = target
        if label and choice != NEW:
            transcript.participants = [p for p in transcript.participants if p.label != label]
    return transcript
