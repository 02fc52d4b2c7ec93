"""Clear 400s: what is wrong with which parameter, in Japanese and in English."""

from articles.api.records import license_info


class BadParameters(Exception):
    """Raised by an endpoint for a request pydantic could not judge (unknown parameter …)."""

    def __init__(self, details):
        super().__init__(details)
        self.details = details


def detail(parameter, japanese, english):
    return {"parameter": parameter, "message": japanese, "messageEnglish": english}


def unknown_parameters(names, allowed):
    listed = ", ".join(allowed)
    return [
        detail(
            name,
            f"パラメータ「{name}」はありません。使えるのは {listed} です。",
            f"Unknown parameter '{name}'. Allowed: {listed}.",
        )
        for name in names
    ]


def from_pydantic(errors):
    """ninja's ValidationError.errors (pydantic's) → bilingual details naming the parameter."""
    details = []
    for error in errors:
        loc = [part for part in error.get("loc", ()) if part not in ("query", "filters")]
        name = str(loc[-1]) if loc else None
        details.append(detail(name, *_messages(name, error)))
    return details


def _messages(name, error):
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    what = f"「{name}」" if name else "パラメータ"
    what_en = f"'{name}'" if name else "A parameter"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{what}は半角の整数で指定してください。", f"{what_en} must be a whole number."
    if kind == "greater_than_equal":
        return f"{what}は {ctx.get('ge')} 以上にしてください。", f"{what_en} must be at least {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"{what}は {ctx.get('le')} 以下にしてください。", f"{what_en} must be at most {ctx.get('le')}."
    if kind.startswith("date") or kind.startswith("datetime"):
        return (
            f"{what}は YYYY-MM-DD の形の日付で指定してください(例: 2021-10-15)。",
            f"{what_en} must be a date in the form YYYY-MM-DD (e.g. 2021-10-15).",
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"{what}は {expected} のどれかにしてください。", f"{what_en} must be one of {expected}."
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return f"{what}は {limit} 文字以内にしてください。", f"{what_en} must be at most {limit} characters."
    return f"{what}の値が正しくありません。", f"{what_en} is not valid: {error.get('msg', '')}"


def error_body(details, status=400):
    if status == 429:
        japanese, english = (
            "リクエストが多すぎます。しばらく待ってからやり直してください。",
            "Too many requests; retry later.",
        )
    elif len(details) == 1:
        japanese, english = details[0]["message"], details[0]["messageEnglish"]
    else:
        japanese, english = "パラメータに誤りがあります。", "Some parameters are not valid."
    return {"message": japanese, "messageEnglish": english, "details": details, "license": license_info()}
