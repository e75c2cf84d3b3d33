"""A whole payload normalised: every source's own columns end up in the same fields."""

from __future__ import annotations

from dedupe.normalise.record import mapping_from_keys, normalise_record

BOUGHT = {
    "Наименование": 'ООО "РОМАШКА"',
    "ИНН": "7707083893",
    "КПП": "773601001",
    "Телефон": "8 (495) 123-45-67 доб. 12, 8-916-123-45-67",
    "E-mail": "INFO@romashka.ru; нет",
    "Сайт": "http://www.romashka.ru/contacts",
    "Адрес": "г. Москва, ул. Ленина, д. 5, оф. 12",
    "Контактное лицо": "Иванова Мария Петровна",
    "Должность": "Генеральный директор",
}
CRM = {
    "Название организации": "Ромашка, ООО",
    "ИНН/КПП": "7707083893/773601001",
    "Телефоны": "+7 495 123 45 67 доб. 12",
    "Почта": "info@romashka.ru",
    "Web": "romashka.ru",
    "Адрес": "Москва, Ленина ул., 5, офис 12",
}


def test_a_bought_row_and_a_crm_row_of_one_firm_agree_on_every_key() -> None:
    bought = normalise_record(BOUGHT, mapping_from_keys(BOUGHT))
    crm = normalise_record(CRM, mapping_from_keys(CRM))
    for field in ("name_key", "inn", "kpp", "domain", "address_key", "city"):
        assert getattr(bought, field) == getattr(crm, field), field
    assert bought.phones[0] == crm.phones[0] == "+74951234567;ext=12"
    assert bought.emails == crm.emails == ("info@romashka.ru",)


def test_fields_come_out_in_their_canonical_forms() -> None:
    record = normalise_record(BOUGHT)
    assert (record.name, record.legal_form, record.inn) == (
        "ООО «Ромашка»",
        "ООО",
        "7707083893",
    )
    assert record.phones == ("+74951234567;ext=12", "+79161234567")
    assert (record.website, record.domain) == (
        "http://romashka.ru/contacts",
        "romashka.ru",
    )
    assert record.persons[0]["gender"] == "f"
    assert record.persons[0]["position"] == "Генеральный директор"
    assert record.is_personal_data  # a named contact person is personal data


def test_a_sole_trader_is_personal_data_and_bad_values_are_flagged_not_raised() -> None:
    record = normalise_record(
        {"name": "ИП Петров Пётр Петрович", "inn": "7707083890", "phones": "звонить"}
    )
    assert record.legal_form == "ИП" and record.is_personal_data
    assert record.inn is None and "inn:bad_checksum" in record.flags
    assert record.phones == ()


def test_an_empty_payload_gives_empty_fields() -> None:
    record = normalise_record({})
    assert record.name is None and record.phones == ()
    assert record.flags == ("name:empty",)  # a record without a name is worth a look
