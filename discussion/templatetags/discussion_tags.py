"""``{{ comment.body|markdown }}``: a comment's text through the one sanitizer
(:func:`workgroups.markdown.render_markdown`)."""

from django import template
from django.utils.safestring import SafeString

from workgroups.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)
