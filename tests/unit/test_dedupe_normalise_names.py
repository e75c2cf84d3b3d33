"""Company names: legal form, display form and matching key, as documentation.

Each case reads input -> (display, legal form, key). The key is what dedupe blocks
and compares on: lower-case Latin skeleton, no legal form, no quotes.
"""

from __future__ import annotations

import pytest

from dedupe.normalise.legal_forms import LEGAL_FORMS
from dedupe.normalise.names import (
    company_name_key,
    normalise_company_name,
    parse_company_name,
)

CASES = [
    pytest.param(
        "000 «Ромашка»",
        "ООО «Ромашка»",
        "ООО",
        "romashka",
        id="zeros typed for the letters of ООО",
    ),
    pytest.param(
        "ООО «Ромашка»",
        "ООО «Ромашка»",
        "ООО",
        "romashka",
        id="guillemets, the usual Russian form",
    ),
    pytest.param(
        "Ромашка, ООО",
        "ООО «Ромашка»",
        "ООО",
        "romashka",
        id="form after the name, after a comma",
    ),
    pytest.param(
        "OOO Romashka",
        'OOO "Romashka"',
        "ООО",
        "romashka",
        id="Latin transliteration of form and name",
    ),
    pytest.param(
        "Общество с ограниченной ответственностью РОМАШКА",
        "ООО «Ромашка»",
        "ООО",
        "romashka",
        id="long form, all-caps name title-cased",
    ),
    pytest.param(
        'ООО"ТД "Ромашка""',
        "ООО «ТД Ромашка»",
        "ООО",
        "td romashka",
        id="glued noisy quotes around a descriptor",
    ),
    pytest.param(
        "Ооо ромашка",
        "ООО «Ромашка»",
        "ООО",
        "romashka",
        id="form in odd case, name in lower case",
    ),
    pytest.param(
        "О.О.О. Ромашка", "ООО «Ромашка»", "ООО", "romashka", id="dotted form"
    ),
    pytest.param(
        "ooo romashka", 'OOO "Romashka"', "ООО", "romashka", id="all lower-case Latin"
    ),
    pytest.param(
        'OOO "ROMASHKA"',
        'OOO "Romashka"',
        "ООО",
        "romashka",
        id="Latin form, capitals in ASCII quotes",
    ),
    pytest.param(
        'Obshchestvo s ogranichennoy otvetstvennost\'yu "Romashka"',
        'OOO "Romashka"',
        "ООО",
        "romashka",
        id="long form transliterated, apostrophe for the soft sign",
    ),
    pytest.param(
        "АО «Газпром нефть»",
        "АО «Газпром нефть»",
        "АО",
        "gazprom neft",
        id="АО with a two-word name",
    ),
    pytest.param(
        'Акционерное общество "Газпром нефть"',
        "АО «Газпром нефть»",
        "АО",
        "gazprom neft",
        id="long АО",
    ),
    pytest.param(
        "ПАО Сбербанк", "ПАО «Сбербанк»", "ПАО", "sberbank", id="ПАО without quotes"
    ),
    pytest.param(
        "Публичное акционерное общество «Сбербанк России»",
        "ПАО «Сбербанк России»",
        "ПАО",
        "sberbank rosi",
        id="long ПАО",
    ),
    pytest.param(
        "PAO Sberbank", 'PAO "Sberbank"', "ПАО", "sberbank", id="ПАО in Latin"
    ),
    pytest.param("ЗАО «Вектор»", "ЗАО «Вектор»", "ЗАО", "vektor", id="ЗАО"),
    pytest.param("ZAO Vektor", 'ZAO "Vektor"', "ЗАО", "vektor", id="ЗАО in Latin"),
    pytest.param(
        "Закрытое акционерное общество Вектор",
        "ЗАО «Вектор»",
        "ЗАО",
        "vektor",
        id="long ЗАО",
    ),
    pytest.param(
        'ОАО "РЖД"',
        "ОАО «РЖД»",
        "ОАО",
        "rzhd",
        id="ОАО, a short acronym name stays in capitals",
    ),
    pytest.param(
        "НАО «Северный ветер»", "НАО «Северный ветер»", "НАО", "severni veter", id="НАО"
    ),
    pytest.param(
        "НКО «Фонд поддержки»",
        "НКО «Фонд поддержки»",
        "НКО",
        "fond poderzhki",
        id="НКО",
    ),
    pytest.param(
        "ФГУП «Почта России»", "ФГУП «Почта России»", "ФГУП", "pochta rosi", id="ФГУП"
    ),
    pytest.param("МУП «Водоканал»", "МУП «Водоканал»", "МУП", "vodokanal", id="МУП"),
    pytest.param(
        "ГУП «Мосгортранс»", "ГУП «Мосгортранс»", "ГУП", "mosgortrans", id="ГУП"
    ),
    pytest.param(
        "АНО «Центр развития»",
        "АНО «Центр развития»",
        "АНО",
        "tsentr razvitia",
        id="АНО",
    ),
    pytest.param(
        "Товарищество с ограниченной ответственностью «Казахтелеком»",
        "ТОО «Казахтелеком»",
        "ТОО",
        "kazahtelekom",
        id="ТОО of Kazakhstan, long form",
    ),
    pytest.param(
        "ТОО «Казахтелеком»",
        "ТОО «Казахтелеком»",
        "ТОО",
        "kazahtelekom",
        id="ТОО of Kazakhstan",
    ),
    pytest.param(
        "ТОВ «Ромашка»", "ТОВ «Ромашка»", "ТОВ", "romashka", id="ТОВ of Ukraine"
    ),
    pytest.param(
        "ГБУЗ «Городская больница № 5»",
        "ГБУЗ «Городская больница № 5»",
        "ГБУЗ",
        "gorodskaia bolnitsa 5",
        id="ГБУЗ hospital with a number sign",
    ),
    pytest.param(
        "ИП Иванов Иван Иванович",
        "ИП Иванов Иван Иванович",
        "ИП",
        "ip ivanov ivan ivanovich",
        id="sole trader: person's name, key marked ip",
    ),
    pytest.param(
        "Иванов Иван Иванович ИП",
        "ИП Иванов Иван Иванович",
        "ИП",
        "ip ivanov ivan ivanovich",
        id="sole trader with the form after the name",
    ),
    pytest.param(
        "Индивидуальный предприниматель Петрова Анна Сергеевна",
        "ИП Петрова Анна Сергеевна",
        "ИП",
        "ip petrova ana sergevna",
        id="sole trader, long form",
    ),
    pytest.param(
        "IP Ivanov Ivan Ivanovich",
        "IP Ivanov Ivan Ivanovich",
        "ИП",
        "ip ivanov ivan ivanovich",
        id="sole trader in Latin",
    ),
    pytest.param(
        "ИП ИВАНОВ ИВАН ИВАНОВИЧ",
        "ИП Иванов Иван Иванович",
        "ИП",
        "ip ivanov ivan ivanovich",
        id="sole trader in capitals",
    ),
    pytest.param(
        "ип петрова а.с.",
        "ИП Петрова А.С.",
        "ИП",
        "ip petrova a s",
        id="sole trader with initials, lower case",
    ),
    pytest.param(
        "ИП Иванов И.И.",
        "ИП Иванов И.И.",
        "ИП",
        "ip ivanov i i",
        id="sole trader with initials",
    ),
    pytest.param(
        "IP Ivanov I.I.",
        "IP Ivanov I.I.",
        "ИП",
        "ip ivanov i i",
        id="sole trader in Latin with initials",
    ),
    pytest.param(
        "IP Telecom",
        "IP Telecom",
        None,
        "ip telekom",
        id="Latin IP before a non-person is part of the name",
    ),
    pytest.param(
        "Nord Systems LLC",
        "Nord Systems LLC",
        "LLC",
        "nord sistems",
        id="LLC after the name",
    ),
    pytest.param(
        "Nord Systems, L.L.C.",
        "Nord Systems LLC",
        "LLC",
        "nord sistems",
        id="dotted L.L.C. after a comma",
    ),
    pytest.param(
        "Nord Systems Limited Liability Company",
        "Nord Systems LLC",
        "LLC",
        "nord sistems",
        id="LLC written out",
    ),
    pytest.param(
        'LLC "Romashka"',
        'LLC "Romashka"',
        "LLC",
        "romashka",
        id="LLC before the name, as Russian firms write it in English",
    ),
    pytest.param("Acme Ltd", "Acme Ltd", "LTD", "akme", id="Ltd"),
    pytest.param("ACME LIMITED", "Acme Ltd", "LTD", "akme", id="Limited, capitals"),
    pytest.param(
        "Beijing Smart Technology Co., Ltd.",
        "Beijing Smart Technology Ltd",
        "LTD",
        "being smart technologi",
        id="Co., Ltd. of Chinese firms",
    ),
    pytest.param("Siemens AG", "Siemens AG", "AG", "semens", id="AG"),
    pytest.param(
        "Robert Bosch GmbH", "Robert Bosch GmbH", "GMBH", "robert bosh", id="GmbH"
    ),
    pytest.param(
        "Bosch Gesellschaft mit beschränkter Haftung",
        "Bosch GmbH",
        "GMBH",
        "bosh",
        id="GmbH written out, with an umlaut",
    ),
    pytest.param(
        "Acme GmbH & Co. KG",
        "Acme GmbH & Co. KG",
        "GMBH & CO KG",
        "akme",
        id="GmbH & Co. KG",
    ),
    pytest.param(
        "Nestlé S.A.", "Nestlé S.A.", "SA", "nestle", id="S.A. with an accented name"
    ),
    pytest.param("Philips N.V.", "Philips N.V.", "NV", "filips", id="N.V."),
    pytest.param(
        "ASML Holding N.V.",
        "ASML Holding N.V.",
        "NV",
        "asml holding",
        id="descriptor Holding kept in the key",
    ),
    pytest.param("Heineken B.V.", "Heineken B.V.", "BV", "heineken", id="B.V."),
    pytest.param("Volvo AB", "Volvo AB", "AB", "volvo", id="Swedish AB"),
    pytest.param("Nokia Oyj", "Nokia Oyj", "OYJ", "nokia", id="Finnish Oyj"),
    pytest.param("Barilla S.p.A.", "Barilla S.p.A.", "SPA", "barila", id="S.p.A."),
    pytest.param("Fiat S.R.L.", "Fiat S.r.l.", "SRL", "fiat", id="S.R.L."),
    pytest.param("Tesco PLC", "Tesco PLC", "PLC", "tesko", id="PLC"),
    pytest.param("Apple Inc.", "Apple Inc.", "INC", "aple", id="Inc."),
    pytest.param(
        "Microsoft Corporation",
        "Microsoft Corp.",
        "CORP",
        "mikrosoft",
        id="Corporation",
    ),
    pytest.param(
        "Ford Motor Company",
        "Ford Motor Co.",
        "CO",
        "ford motor",
        id="Company at the end is a form",
    ),
    pytest.param(
        "Acme sp. z o.o.", "Acme sp. z o.o.", "SP ZOO", "akme", id="Polish sp. z o.o."
    ),
    pytest.param(
        "Škoda Auto a.s.", "Škoda Auto AS", "AS", "skoda auto", id="Czech a.s."
    ),
    pytest.param("Acme s.r.o.", "Acme s.r.o.", "SRO", "akme", id="Czech s.r.o."),
    pytest.param(
        "Городская больница N5",
        "Городская больница N5",
        None,
        "gorodskaia bolnitsa 5",
        id="No. sign written N",
    ),
    pytest.param(
        "ГБУЗ Городская больница №5",
        "ГБУЗ «Городская больница №5»",
        "ГБУЗ",
        "gorodskaia bolnitsa 5",
        id="№ glued to the number",
    ),
    pytest.param(
        "Больница им. Пирогова",
        "Больница им. Пирогова",
        None,
        "bolnitsa pirogova",
        id="им. is dropped from the key",
    ),
    pytest.param(
        "Больница имени Пирогова",
        "Больница имени Пирогова",
        None,
        "bolnitsa pirogova",
        id="имени is dropped from the key",
    ),
    pytest.param(
        "ООО «Торговый дом «Альфа»»",
        "ООО «Торговый дом Альфа»",
        "ООО",
        "td alfa",
        id="nested quotes, Торговый дом keyed as td",
    ),
    pytest.param(
        "ООО ТД Альфа", "ООО «ТД Альфа»", "ООО", "td alfa", id="ТД keyed as td"
    ),
    pytest.param(
        "ООО «Группа компаний Вектор»",
        "ООО «Группа компаний Вектор»",
        "ООО",
        "gk vektor",
        id="Группа компаний keyed as gk",
    ),
    pytest.param(
        "ООО «Рога и копыта»",
        "ООО «Рога и копыта»",
        "ООО",
        "roga kopita",
        id="и is dropped from the key",
    ),
    pytest.param(
        "Рога & Копыта, ООО",
        "ООО «Рога & Копыта»",
        "ООО",
        "roga kopita",
        id="& is dropped from the key",
    ),
    pytest.param(
        "ООО «Альфа+»", "ООО «Альфа+»", "ООО", "alfa plus", id="+ reads as Плюс"
    ),
    pytest.param("ООО «Альфа Плюс»", "ООО «Альфа Плюс»", "ООО", "alfa plus", id="Плюс"),
    pytest.param(
        "ООО «IBM Восток»",
        "ООО «IBM Восток»",
        "ООО",
        "ibm vostok",
        id="mixed case kept as written",
    ),
    pytest.param(
        "ООО «ИТ РЕШЕНИЯ»",
        "ООО «ИТ Решения»",
        "ООО",
        "it reshenia",
        id="short capitals kept as an acronym, long ones title-cased",
    ),
    pytest.param(
        "ООО «СТРОЙ-2000»",
        "ООО «Строй-2000»",
        "ООО",
        "stroi 2000",
        id="number after a hyphen",
    ),
    pytest.param(
        "ООО «Альфа-М»", "ООО «Альфа-М»", "ООО", "alfa m", id="one-letter tail"
    ),
    pytest.param(
        "ООО «iPhone-сервис»",
        "ООО «iPhone-сервис»",
        "ООО",
        "ifone servis",
        id="camel case kept",
    ),
    pytest.param(
        "ООО «Sigma Ltd»",
        "ООО «Sigma Ltd»",
        "ООО",
        "sigma",
        id="a second form in the quotes: kept in the display, not in the key",
    ),
    pytest.param(
        "«Ромашка»", "Ромашка", None, "romashka", id="quoted name without a form"
    ),
    pytest.param("Ромашка", "Ромашка", None, "romashka", id="bare name"),
    pytest.param("ООО", None, "ООО", None, id="form and nothing else"),
    pytest.param("   ", None, None, None, id="whitespace only"),
    pytest.param(
        "Филиал ООО «Ромашка» в г. Москва",
        "Филиал ООО Ромашка в г. Москва",
        None,
        "filial o romashka v g moskva",
        id="branch: the form is inside, not at an edge",
    ),
    pytest.param(
        "ООО «Ромашка» (филиал Казань)",
        "ООО «Ромашка (филиал Казань)»",
        "ООО",
        "romashka filial kazan",
        id="branch in brackets",
    ),
    pytest.param(
        "Stroyservis OOO",
        'OOO "Stroyservis"',
        "ООО",
        "stroiservis",
        id="Stroy/Строй transliteration",
    ),
    pytest.param(
        "ООО «Щукинъ и сыновья»",
        "ООО «Щукинъ и сыновья»",
        "ООО",
        "shukin sinovia",
        id="hard sign and и between words",
    ),
    pytest.param(
        "Shchukin i synovya OOO",
        'OOO "Shchukin i synovya"',
        "ООО",
        "shukin sinovia",
        id="the same in Latin",
    ),
    pytest.param("OOO Yupiter", 'OOO "Yupiter"', "ООО", "iupiter", id="Ю as Yu"),
    pytest.param("OOO Jupiter", 'OOO "Jupiter"', "ООО", "iupiter", id="Ю as Ju"),
    pytest.param("OOO Khleb", 'OOO "Khleb"', "ООО", "hleb", id="Х as Kh"),
    pytest.param("OOO Hleb", 'OOO "Hleb"', "ООО", "hleb", id="Х as H"),
    pytest.param("OOO Tsvety", 'OOO "Tsvety"', "ООО", "tsveti", id="Ц as Ts"),
    pytest.param(
        "ООО «Pомашка»",
        "ООО «Ромашка»",
        "ООО",
        "romashka",
        id="Latin P among Cyrillic letters",
    ),
    pytest.param(
        "«Ромашка» ООО", "ООО «Ромашка»", "ООО", "romashka", id="guillemets, form after"
    ),
    pytest.param(
        "'Ромашка' ООО", "ООО «Ромашка»", "ООО", "romashka", id="single quotes"
    ),
    pytest.param(
        "„Ромашка“ ООО", "ООО «Ромашка»", "ООО", "romashka", id="German quotes"
    ),
    pytest.param(
        "Ромашка (ООО)",
        "ООО «Ромашка»",
        "ООО",
        "romashka",
        id="name and form in brackets",
    ),
    pytest.param(
        "ООО Ромашка.", "ООО «Ромашка»", "ООО", "romashka", id="trailing full stop"
    ),
    pytest.param(
        "ООО - Ромашка", "ООО «Ромашка»", "ООО", "romashka", id="dash after the form"
    ),
    pytest.param(
        'Компания "Nord Systems LLC"',
        "Компания Nord Systems LLC",
        "LLC",
        "kompania nord sistems",
        id="Компания outside the quotes is part of the name",
    ),
    pytest.param(
        "ЧОП «Щит»",
        "ЧОП Щит",
        None,
        "chop shit",
        id="ЧОП is a descriptor, not a legal form",
    ),
    pytest.param(
        "Частное охранное предприятие «Щит»",
        "Частное охранное предприятие Щит",
        None,
        "chop shit",
        id="Частное охранное предприятие keyed as ЧОП",
    ),
    pytest.param(
        "ПАО «ЛУКОЙЛ»",
        "ПАО «Лукойл»",
        "ПАО",
        "lukoil",
        id="capitals of a known brand are title-cased",
    ),
    pytest.param(
        'ООО "М.Видео Менеджмент"',
        "ООО «М.Видео Менеджмент»",
        "ООО",
        "m video menedzhment",
        id="dots inside the name",
    ),
]


@pytest.mark.parametrize(("value", "display", "legal_form", "key"), CASES)
def test_parse_company_name(
    value: str, display: str | None, legal_form: str | None, key: str | None
) -> None:
    parsed = parse_company_name(value)
    assert (parsed.display, parsed.legal_form, parsed.key) == (display, legal_form, key)
    assert parsed.raw == value


@pytest.mark.parametrize(("value", "display", "legal_form", "key"), CASES)
def test_display_and_key_read_back(
    value: str, display: str | None, legal_form: str | None, key: str | None
) -> None:
    assert normalise_company_name(display) == display
    assert company_name_key(key) == key
    if display is not None:
        assert company_name_key(display) == key


SAME_KEY = [
    pytest.param(
        [
            "ООО «Ромашка»",
            "Ромашка, ООО",
            "OOO Romashka",
            "Общество с ограниченной ответственностью РОМАШКА",
            "ооо ромашка",
            "«Ромашка» (ООО)",
            "O.O.O. ROMASHKA",
        ],
        id="the issue's four spellings of one firm, and more",
    ),
    pytest.param(
        [
            "ИП Иванов Иван Иванович",
            "Иван Иванович Иванов ИП",
            "IP Ivanov Ivan Ivanovich",
        ],
        id="a sole trader in either word order and script",
    ),
    pytest.param(
        ["ООО «Торговый дом Альфа»", "ООО ТД «Альфа»", 'TD "Alfa" OOO'],
        id="Торговый дом and ТД",
    ),
    pytest.param(
        ["Школа № 5", "Школа №5", "Школа N5", "ШКОЛА N 5", "Shkola No. 5"],
        id="number signs",
    ),
    pytest.param(
        ["ООО «Хлеб»", "OOO Khleb", "OOO Hleb", "ООО «ХЛЕБ»"],
        id="х as kh or h",
    ),
    pytest.param(
        ["ООО «Юпитер»", "OOO Yupiter", "OOO Iupiter", "OOO Jupiter"],
        id="ю as yu, iu or ju",
    ),
    pytest.param(
        ["ООО «Соловьёв и партнёры»", "OOO Solovyev i partnery", "Soloviev & Partnery"],
        id="ё, ь and и/&",
    ),
    pytest.param(
        ["Bosch GmbH", "Bosch Gesellschaft mit beschränkter Haftung", "BOSCH GMBH"],
        id="GmbH written out",
    ),
]


@pytest.mark.parametrize("values", SAME_KEY)
def test_spellings_of_one_name_share_a_key(values: list[str]) -> None:
    assert len({company_name_key(v) for v in values}) == 1


DIFFERENT_KEY = [
    pytest.param("ООО «Альфа»", "ООО «Альфа-М»", id="a tail tells firms apart"),
    pytest.param("ООО «ТД Альфа»", "ООО «Альфа»", id="descriptors stay in the key"),
    pytest.param(
        "ИП Иванов Иван Иванович", "ООО «Иванов»", id="a person is not a firm"
    ),
    pytest.param("Больница № 5", "Больница № 6", id="numbers count"),
]


@pytest.mark.parametrize(("one", "other"), DIFFERENT_KEY)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert company_name_key(one) != company_name_key(other)


FLAGS = [
    pytest.param(None, ("empty",), id="None"),
    pytest.param("  ", ("empty",), id="blank"),
    pytest.param("«»!!", ("junk",), id="no letter or digit"),
    pytest.param("ООО", ("no_name",), id="a form and nothing else"),
    pytest.param("Ромашка", ("no_legal_form",), id="no form"),
    pytest.param("Акционерное общество Вектор", ("long_legal_form",), id="written out"),
    pytest.param("ИП Петров П.П.", ("person_name",), id="personal data"),
    pytest.param("ООО «Sigma Ltd»", ("extra_legal_form",), id="two forms"),
    pytest.param("ООО «Pомашка»", ("mixed_script",), id="a Latin P in Cyrillic"),
    pytest.param("ООО «РОМАШКА»", ("recased",), id="capitals title-cased"),
    pytest.param("ООО «Ромашка» (филиал)", ("branch",), id="a branch"),
]


@pytest.mark.parametrize(("value", "flags"), FLAGS)
def test_flags_say_what_was_noticed(value: str | None, flags: tuple[str, ...]) -> None:
    assert set(flags) <= set(parse_company_name(value).flags)


def test_sole_trader_keeps_the_parsed_person() -> None:
    parsed = parse_company_name("ИП Петрова Анна Сергеевна")
    assert parsed.person is not None
    assert (parsed.person.last, parsed.person.gender) == ("Петрова", "f")
    assert parsed.key_tokens == ("ip", "petrova", "ana", "sergevna")


def test_long_form_is_reported() -> None:
    parsed = parse_company_name("ООО «Ромашка»")
    assert parsed.legal_form_full == "Общество с ограниченной ответственностью"
    assert parsed.core == "Ромашка"


@pytest.mark.parametrize("code", sorted(LEGAL_FORMS))
def test_every_variant_of_the_table_is_found(code: str) -> None:
    form = LEGAL_FORMS[code]
    for variant in form.variants:
        name = f"{variant} «Alpha»" if form.position != "end" else f"Alpha {variant}"
        if form.person:
            name = f"{variant} Иванов Иван Иванович"
        assert parse_company_name(name).legal_form == code, variant
