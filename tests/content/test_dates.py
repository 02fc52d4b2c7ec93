import datetime

from forum.conventions import format_japanese_date, japanese_era


def test_reiwa_date_as_printed():
    assert format_japanese_date(datetime.date(2021, 10, 15)) == "令和3年10月15日"


def test_first_year_of_an_era_is_gannen():
    assert format_japanese_date(datetime.date(2019, 5, 1)) == "令和元年5月1日"
    assert format_japanese_date(datetime.date(2019, 4, 30)) == "平成31年4月30日"


def test_era_boundaries():
    assert japanese_era(datetime.date(1989, 1, 7)) == ("昭和", 64)
    assert japanese_era(datetime.date(1989, 1, 8)) == ("平成", 1)
