"""Template helpers for the accessibility findings of a part (articles.accessibility_checks)."""

from django import template
from django.urls import reverse

from articles.accessibility_checks import finding_link

register = template.Library()


@register.filter
def errors_only(findings):
    return [finding for finding in findings or () if finding.is_error]


@register.filter
def warnings_only(findings):
    return [finding for finding in findings or () if not finding.is_error]


@register.simple_tag
def finding_url(finding, article, in_preview=False):
    """In the preview, a place on the page links there; anything else links to the admin."""
    if in_preview and finding.anchor:
        return f"#{finding.anchor}"
    if in_preview and not finding.field:
        return reverse("admin:articles_article_change", args=[article.pk])
    return finding_link(finding, article)
