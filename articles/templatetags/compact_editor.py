"""{% compact_turn_rows inline_admin_formset %}: a section's turns as compact rows
(articles/admin/compact_editor.py renders them in Python, not field by field)."""

from django import template

from articles.admin.compact_editor import management_form, turn_rows

register = template.Library()


@register.simple_tag
def compact_turn_rows(inline_admin_formset):
    return turn_rows(inline_admin_formset)


@register.simple_tag
def compact_management_form(formset):
    return management_form(formset)
