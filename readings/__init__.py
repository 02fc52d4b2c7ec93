"""Japanese line breaking and ふりがな for the public pages, computed when a text is saved.

- readings.phrasing: BudouX phrases → <wbr>, names and dates kept whole (no Django);
- readings.furigana: SudachiPy readings → <ruby> over kanji (no Django);
- readings.models: the editors' reading dictionary (町田 → まちだ), used before the analyser;
- readings.lexicon: the dictionary and a roundtable's people (Person.reading) as one lexicon.
"""
