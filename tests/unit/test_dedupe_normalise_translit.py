"""Transliteration both ways, and the skeleton that makes spellings meet."""

from __future__ import annotations

import pytest

from dedupe.normalise.translit import (
    capitalise,
    fix_homoglyphs,
    latin_skeleton,
    to_cyrillic,
    to_latin,
)

# Cyrillic -> (GOST 7.79-2000 B, passport/ICAO 2013, informal)
TO_LATIN = [
    pytest.param("Щукин", "Shhukin", "Shchukin", "Shchukin", id="щ"),
    pytest.param("Юрий", "Yurij", "Iurii", "Yuriy", id="ю and й"),
    pytest.param("Царь", "Czar`", "Tsar", "Tsar", id="ц before a hard vowel, ь"),
    pytest.param("Цирк", "Cirk", "Tsirk", "Tsirk", id="GOST ц before и is c"),
    pytest.param("Подъезд", "Pod``ezd", "Podieezd", "Podezd", id="ъ"),
    pytest.param("Эхо", "E`xo", "Ekho", "Ekho", id="э and х"),
    pytest.param("Ёлка", "Yolka", "Elka", "Elka", id="ё"),
    pytest.param("Крылов", "Kry`lov", "Krylov", "Krylov", id="ы"),
    pytest.param("Мария", "Mariya", "Mariia", "Mariya", id="я"),
    pytest.param("Соловьёв", "Solov`yov", "Solovev", "Solovev", id="ьё"),
    pytest.param("ЩУКА", "SHHUKA", "SHCHUKA", "SHCHUKA", id="capitals stay capitals"),
    pytest.param(
        "ООО «Ромашка»",
        "OOO «Romashka»",
        "OOO «Romashka»",
        "OOO «Romashka»",
        id="punctuation passes through",
    ),
    pytest.param(
        "Nord ГмбХ 2",
        "Nord GmbX 2",
        "Nord GmbKh 2",
        "Nord GmbKh 2",
        id="Latin, digits and mixed case pass through",
    ),
]


@pytest.mark.parametrize(("text", "gost", "icao", "simple"), TO_LATIN)
def test_to_latin(text: str, gost: str, icao: str, simple: str) -> None:
    assert to_latin(text, "gost") == gost
    assert to_latin(text, "icao") == icao
    assert to_latin(text, "simple") == simple


def test_to_latin_names_its_schemes() -> None:
    with pytest.raises(ValueError, match="'gost', 'icao' or 'simple'"):
        to_latin("Ромашка", "iso")  # type: ignore[arg-type]


TO_CYRILLIC = [
    pytest.param("OOO Romashka", "ООО Ромашка", id="a firm"),
    pytest.param("Sergey", "Сергей", id="y after a vowel is й"),
    pytest.param("Krylov", "Крылов", id="y between consonants is ы"),
    pytest.param("Dostoevsky", "Достоевский", id="-sky is -ский"),
    pytest.param("Novyy", "Новый", id="-yy is -ый"),
    pytest.param("Yuriy", "Юрий", id="yu and -iy"),
    pytest.param("Kuznetsov", "Кузнецов", id="ts"),
    pytest.param("Shchukin", "Щукин", id="shch"),
    pytest.param("Shhukin", "Щукин", id="GOST shh"),
    pytest.param("Khabarovsk", "Хабаровск", id="kh"),
    pytest.param("Zhukov", "Жуков", id="zh"),
    pytest.param("Tsentr", "Центр", id="ts at the start"),
    pytest.param("Cirk", "Цирк", id="c before i is ц"),
    pytest.param("Maxim", "Максим", id="x is кс"),
    pytest.param("Fyodor", "Фёдор", id="yo"),
    pytest.param("ob``ekt", "объект", id="GOST hard sign"),
    pytest.param("SHCHUKA", "ЩУКА", id="capitals"),
]


@pytest.mark.parametrize(("text", "cyrillic"), TO_CYRILLIC)
def test_to_cyrillic(text: str, cyrillic: str) -> None:
    assert to_cyrillic(text) == cyrillic


SAME_SKELETON = [
    pytest.param(["Ромашка", "Romashka", "ROMASHKA", "romaschka"], id="a firm"),
    pytest.param(
        ["Юрий", "Yuriy", "Iurii", "Jurij", "Yury"], id="ю, й in four schemes"
    ),
    pytest.param(["Щукин", "Shchukin", "Shhukin", "Schukin"], id="щ"),
    pytest.param(
        ["Хабибуллин", "Khabibullin", "Habibulin"], id="х and doubled letters"
    ),
    pytest.param(["Кузнецов", "Kuznetsov", "Kuznetcov", "Kuznetzov"], id="ц"),
    pytest.param(["Дмитрий", "Dmitry", "Dmitriy", "Dmitrij", "Dmitrii"], id="-ий"),
    pytest.param(["Мария", "Maria", "Mariya", "Mariia"], id="-ия"),
    pytest.param(["Илья", "Ilya", "Ilia", "Ilja"], id="-ья"),
    pytest.param(["Фёдоров", "Федоров", "Fyodorov", "Fedorov"], id="ё written е"),
    pytest.param(["Соловьёв", "Solovyev", "Solovev", "Soloviev"], id="-ьёв"),
    pytest.param(["Любовь", "Lyubov", "Liubov"], id="ю after a consonant"),
    pytest.param(["Плюс", "Plus", "Plyus"], id="plus"),
    pytest.param(["Максим", "Maxim", "Maksim"], id="x is ks"),
    pytest.param(["Михаил", "Mikhail", "Mihail"], id="kh is h"),
    pytest.param(["Евгений", "Yevgeniy", "Evgenii", "Yevgeny"], id="ye at the start"),
    pytest.param(["Андреевич", "Andreyevich", "Andreevich"], id="ye after a vowel"),
    pytest.param(["Жуков", "Zhukov", "ZHUKOV"], id="zh"),
    pytest.param(["Центр", "Tsentr", "Centr"], id="c before e"),
    pytest.param(["pомашка", "ромашка"], id="a Latin p in a Cyrillic word"),
    pytest.param(["Crème", "Creme", "CRÈME"], id="Latin accents fold"),
    pytest.param(
        [
            "Общество с ограниченной ответственностью",
            "Obshchestvo s ogranichennoy otvetstvennost'yu",
            "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIU",
        ],
        id="a long legal form in three spellings",
    ),
]


@pytest.mark.parametrize("spellings", SAME_SKELETON)
def test_spellings_share_a_skeleton(spellings: list[str]) -> None:
    assert len({latin_skeleton(s) for s in spellings}) == 1


SKELETONS = [
    pytest.param(
        "ООО «Ромашка-2000»", "o romashka 2000", id="words, digits, no quotes"
    ),
    pytest.param("Юрий Щукин", "iuri shukin", id="two words"),
    pytest.param("L'Oreal", "loreal", id="an apostrophe joins"),
    pytest.param("", "", id="empty"),
    pytest.param("«»—!", "", id="punctuation only"),
]


@pytest.mark.parametrize(("text", "skeleton"), SKELETONS)
def test_latin_skeleton(text: str, skeleton: str) -> None:
    assert latin_skeleton(text) == skeleton


HOMOGLYPHS = [
    pytest.param("OOO Pомашка", "OOO Ромашка", id="Latin P in a Cyrillic word"),
    pytest.param("Nоrd", "Nord", id="Cyrillic о in a Latin word"),
    pytest.param("ВОХ", "ВОХ", id="one script: untouched"),
    pytest.param("Fитнес", "Fитнес", id="two real scripts: nothing to guess"),
]


@pytest.mark.parametrize(("text", "fixed"), HOMOGLYPHS)
def test_fix_homoglyphs(text: str, fixed: str) -> None:
    assert fix_homoglyphs(text) == fixed


@pytest.mark.parametrize(
    ("word", "expected"),
    [("РОМАШКА", "Ромашка"), ("ромашка", "Ромашка"), ("ßeta", "ßeta"), ("", "")],
    ids=["capitals", "lower case", "ß would grow: left alone", "empty"],
)
def test_capitalise(word: str, expected: str) -> None:
    assert capitalise(word) == expected
