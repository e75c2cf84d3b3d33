"""The stable import field names and how column headers map to them.

`FIELDS` is a public interface (`--map COLUMN=field`, README): names are only added.
"""

from __future__ import annotations

import re
from functools import lru_cache

FIELDS: tuple[str, ...] = (
    "name",
    "legal_form",
    "inn",
    "ogrn",
    "kpp",
    "phone",
    "email",
    "website",
    "address",
    "postcode",
    "city",
    "region",
    "country",
    "industry",
    "okved",
    "contact_name",
    "position",
    "notes",
)

# Header synonyms, Russian and English, already in `header_key` form. A header that
# names two fields ("ИНН/КПП") maps to both; splitting the value is normalisation's job.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "company",
        "company name",
        "organization",
        "organisation",
        "business name",
        "наименование",
        "название",
        "название организации",
        "наименование организации",
        "организация",
        "компания",
        "название компании",
        "полное наименование",
        "краткое наименование",
        "фирма",
        "юрлицо",
        "наименование юл",
        "клиент",
        "контрагент",
    ),
    "legal_form": (
        "legal form",
        "opf",
        "опф",
        "организационно правовая форма",
        "форма",
        "правовая форма",
    ),
    "inn": (
        "inn",
        "инн",
        "инн организации",
        "инн юл",
        "tax id",
        "taxid",
        "vat",
        "vat id",
    ),
    "ogrn": ("ogrn", "огрн", "огрнип", "огрн огрнип", "registration number", "reg no"),
    "kpp": ("kpp", "кпп"),
    "phone": (
        "phone",
        "phones",
        "telephone",
        "tel",
        "phone number",
        "mobile",
        "fax",
        "телефон",
        "телефоны",
        "тел",
        "номер телефона",
        "мобильный",
        "моб",
        "моб телефон",
        "мобильный телефон",
        "рабочий телефон",
        "факс",
        "контактный телефон",
        "сотовый",
        "тел факс",
    ),
    "email": (
        "email",
        "e mail",
        "emails",
        "mail",
        "e mail address",
        "email address",
        "электронная почта",
        "почта",
        "эл почта",
        "емейл",
        "имейл",
        "e mail адрес",
        "адрес электронной почты",
    ),
    "website": (
        "website",
        "web",
        "site",
        "url",
        "web site",
        "homepage",
        "www",
        "сайт",
        "веб сайт",
        "вебсайт",
        "адрес сайта",
        "интернет сайт",
    ),
    "address": (
        "address",
        "street address",
        "legal address",
        "адрес",
        "юридический адрес",
        "фактический адрес",
        "почтовый адрес",
        "юр адрес",
        "адрес офиса",
        "местонахождение",
    ),
    "postcode": (
        "postcode",
        "postal code",
        "zip",
        "zip code",
        "индекс",
        "почтовый индекс",
    ),
    "city": ("city", "town", "город", "населенный пункт", "нас пункт"),
    "region": (
        "region",
        "state",
        "province",
        "регион",
        "область",
        "субъект",
        "субъект рф",
        "край",
    ),
    "country": ("country", "страна"),
    "industry": (
        "industry",
        "sector",
        "category",
        "rubric",
        "отрасль",
        "сфера деятельности",
        "вид деятельности",
        "рубрика",
        "деятельность",
        "сфера",
        "категория",
    ),
    "okved": ("okved", "оквэд", "код оквэд", "основной оквэд", "sic", "nace"),
    "contact_name": (
        "contact",
        "contact name",
        "contact person",
        "full name",
        "person",
        "фио",
        "контактное лицо",
        "контакт",
        "руководитель",
        "директор",
        "фио руководителя",
        "генеральный директор",
        "ответственное лицо",
    ),
    "position": ("position", "title", "job title", "role", "должность"),
    "notes": (
        "notes",
        "note",
        "comment",
        "comments",
        "description",
        "примечание",
        "примечания",
        "комментарий",
        "комментарии",
        "заметки",
        "описание",
    ),
}

_COMBINED = re.compile(r"^(инн|inn)\s*(кпп|kpp)$")
_SEPARATORS = re.compile(r"[\s_./\\|:;,()\[\]«»\"'№#*-]+")

_SUFFIX = re.compile(r"(\s*\(.*\)|\s*\d+)\s*$")

_INDEX = {synonym: field for field, words in SYNONYMS.items() for synonym in words}


def header_key(text: str) -> str:
    """A header reduced for lookup: lower case, ё→е, punctuation and spaces folded."""
    folded = text.strip().lower().replace("ё", "е")
    return _SEPARATORS.sub(" ", folded).strip()


@lru_cache(maxsize=4096)
def fields_for_header(text: str) -> tuple[str, ...]:
    """The fields a column header names, () when none.

    Examples:
        fields_for_header("ИНН/КПП") == ("inn", "kpp")
        fields_for_header("Телефоны") == ("phone",)
    """
    key = header_key(text)
    if not key:
        return ()
    if _COMBINED.match(key):
        return ("inn", "kpp")
    if key in _INDEX:
        return (_INDEX[key],)
    if "/" in text:  # "Контакты / Телефон" from a two-row header: the leaf decides
        return fields_for_header(text.rsplit("/", 1)[1])
    # "Телефон 2", "Телефон (моб.)": a known name with a number or a note after it.
    stem = header_key(_SUFFIX.sub("", text))
    return (_INDEX[stem],) if stem != key and stem in _INDEX else ()
