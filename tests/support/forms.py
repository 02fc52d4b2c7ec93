"""Read the form fields of a rendered page, as a browser would submit them."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.data = {}
        self._textarea = None
        self._select = None
        self._select_value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self._select_value = None
            self._select_multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            if "selected" in attrs:
                self.data.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.form_id is not None:
            self.inside = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_data(html, form_id=None):
    """{name: value or [values]} of the form with id `form_id` (all fields when None)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    result = {}
    for name, values in reader.data.items():
        if "__prefix__" in name:
            continue
        result[name] = values if len(values) > 1 else values[0]
    # Django's textarea rendering starts with a newline that browsers drop.
    return {k: (v[1:] if isinstance(v, str) and v.startswith("\n") else v) for k, v in result.items()}
