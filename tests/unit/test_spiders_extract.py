"""Extraction on page fragments: emails, phones, tax ids, socials, guards, profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from spiders.extract.contacts import contacts_on_page
from spiders.extract.emails import decode_cloudflare, emails_in_text
from spiders.extract.guards import judge_block_page, judge_decoy
from spiders.extract.phones import phones_in_text, resolve_tel_link
from spiders.extract.schema_org import organisation_fields
from spiders.extract.socials import social_link
from spiders.extract.tax_ids import tax_ids_in_text
from spiders.links import contact_page_rank, followable, site_region
from spiders.profiles import ProfileError, load_profile


def cloudflare(address: str, key: int = 0x42) -> str:
    return f"{key:02x}" + "".join(f"{ord(ch) ^ key:02x}" for ch in address)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("info [at] romashka [dot] ru", ["info@romashka.ru"]),
        ("sales(собака)romashka.ru", ["sales@romashka.ru"]),
        ("hr (at) romashka (dot) ru", ["hr@romashka.ru"]),
        ("Пишите: Boss@Romashka.RU.", ["boss@romashka.ru"]),
        ("ivan@пример.рф", ["ivan@пример.рф"]),
        ("url(/fonts/roboto@2x.woff)", []),  # a font file is not an address
        ("test@test.ru", []),  # a placeholder
    ],
)
def test_emails_in_text(text: str, expected: list[str]) -> None:
    assert emails_in_text(text) == expected


def test_cloudflare_protection_is_decoded() -> None:
    assert decode_cloudflare(cloudflare("office@firm.ru")) == "office@firm.ru"
    assert decode_cloudflare("zz") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Тел.: 8 (495) 123-45-67", ["+74951234567"]),
        ("Уставный капитал 8 126 612 911 руб.", []),
        ("Дата регистрации 12.03.2021", []),
        ("ИНН 7707083893", []),
        ("Цена 8 800 555 35 35 руб.", []),
        ("ОГРН 1027700132195", []),
        ("+7 916 123-45-67 или 8-800-555-35-35", ["+79161234567", "+78005553535"]),
    ],
)
def test_phones_in_text(text: str, expected: list[str]) -> None:
    assert phones_in_text(text, "RU") == expected


def test_tel_link_disagreeing_with_its_text_keeps_the_visible_number() -> None:
    resolved = resolve_tel_link("tel:+74951234567", "+7 (495) 765-43-21", "RU")
    assert resolved.phone == "+74957654321"
    assert resolved.conflict == ("+74951234567", "+74957654321")
    assert resolve_tel_link("tel:+74951234567", "Позвонить", "RU").phone == (
        "+74951234567"
    )


def test_labelled_tax_ids_are_validated() -> None:
    found = tax_ids_in_text("ИНН/КПП 7707083893/770701001; ОГРН: 1027700132195")
    assert (found.inn, found.kpp, found.ogrn) == (
        "7707083893",
        "770701001",
        "1027700132195",
    )
    bad = tax_ids_in_text("ИНН 7707083894, ОГРН 1027700132196")
    assert bad.inn is None and bad.ogrn is None
    assert bad.rejected == ("inn:7707083894", "ogrn:1027700132196")
    assert tax_ids_in_text("7707083893").inn is None  # no label, no id


def test_social_links_are_canonical_profiles() -> None:
    assert social_link("https://www.vk.com/romashka?x=1") == "https://vk.com/romashka"
    assert social_link("https://t.me/romashka") == "https://t.me/romashka"
    assert social_link("https://vk.com/") is None
    assert social_link("https://romashka.ru/") is None


def test_contacts_skip_scripts_sponsors_and_the_web_studio() -> None:
    html = f"""<html><head><style>@font-face {{src: url(a@2x.woff)}}</style></head>
    <body><h1>ООО Ромашка</h1>
    <p>Телефон <a href="tel:+74951234567">+7 (495) 765-43-21</a></p>
    <p>info [at] romashka [dot] ru;
    <span data-cfemail="{cloudflare("cf@romashka.ru")}">x</span></p>
    <p>ИНН 7707083893 Уставный капитал 8 126 612 911 руб.</p>
    <div class="ad-block sponsored">+7 (999) 000-00-01 ads@promo.ru</div>
    <footer><p>Разработка сайта: Студия, studio@web.ru, +7 (495) 000-00-02</p></footer>
    <a href="https://vk.com/romashka">vk</a>
    <script>var m = 'js' + '@' + 'romashka.ru';</script></body></html>"""
    page = contacts_on_page(Selector(text=html).root, "http://romashka.ru/", "RU")
    assert sorted(page.emails) == [
        "cf@romashka.ru",
        "info@romashka.ru",
        "js@romashka.ru",
    ]
    assert page.phones == ["+74957654321"]
    assert page.socials == ["https://vk.com/romashka"]
    assert page.tax_ids.inn == "7707083893"
    assert page.flags == ["tel_text_mismatch:+74951234567:+74957654321"]


def test_schema_org_json_ld_and_microdata() -> None:
    jsonld = """<script type="application/ld+json">{"@context": "https://schema.org",
      "@graph": [{"@type": "WebSite", "name": "x"}, {"@type": "Dentist",
      "name": "Улыбка", "telephone": "+7 495 123-45-67", "taxID": "7707083893",
      "address": {"@type": "PostalAddress", "addressLocality": "Москва"},
      "founder": {"@type": "Person", "name": "Иван Петров"}}]}</script>"""
    fields, syntax = organisation_fields(
        Selector(text=jsonld).root, jsonld, "http://x/"
    )
    assert syntax == "json-ld"
    assert fields["name"] == "Улыбка" and fields["city"] == "Москва"
    assert fields["persons"] == [{"name": "Иван Петров", "role": "founder"}]
    micro = """<div itemscope itemtype="https://schema.org/Organization">
      <span itemprop="name">Лютик</span>
      <span itemprop="telephone">8 812 333-22-11</span></div>"""
    fields, syntax = organisation_fields(Selector(text=micro).root, micro, "http://x/")
    assert (syntax, fields["name"], fields["phones"]) == (
        "microdata",
        "Лютик",
        ["8 812 333-22-11"],
    )


def test_block_pages_and_decoys() -> None:
    assert judge_block_page(200, "Проверка", "Подтвердите, что вы не робот") is not None
    assert judge_block_page(403, "Forbidden", "") is not None
    assert judge_block_page(200, "Каталог", "Контакты компании captcha-free") is None
    decoy = judge_decoy(
        "ООО «Подсолнух»", "ООО «Ромашка» — карточка", "ООО «Ромашка»", ()
    )
    assert decoy is not None and decoy.kind == "decoy"
    assert judge_decoy("ООО «Ромашка»", "ООО Ромашка — карточка", "Ромашка", ()) is None
    assert judge_decoy("ООО «Подсолнух»", "Карточка компании", None, ()) is None


def test_links_never_follow_tel_mailto_javascript() -> None:
    base = "http://a.ru/x/"
    for href in ("tel:+7495", "mailto:a@b.ru", "javascript:void(0)", "data:,x", ""):
        assert followable(base, href) is None
    assert followable(base, "../contacts#top") == "http://a.ru/contacts"
    assert contact_page_rank("http://a.ru/kontakty", "Контакты") == 0
    assert contact_page_rank("http://a.ru/rekvizity", "Реквизиты") == 1
    assert contact_page_rank("http://a.ru/about", "") == 2
    assert contact_page_rank("http://a.ru/shop", "Магазин") is None
    assert (site_region("http://a.kz/"), site_region("http://a.рф/")) == ("KZ", "RU")


def test_profile_errors_are_all_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "listing:\n  links: 'a[['\n  nextpage: x\ndetail:\n  fields:\n"
        "    phone: '.p'\n    name: 'xpath://h1['\ncolour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as error:
        load_profile(str(path))
    message = str(error.value)
    for needle in (
        "bad.yaml", "listing.links: bad selector", "listing.nextpage: unknown key",
        "detail.fields.phone: unknown field", "detail.fields.name: bad selector",
        "colour: unknown key", "start_urls: missing",
    ):  # fmt: skip
        assert needle in message


def test_bundled_profiles_load() -> None:
    assert load_profile("demo").start_urls


def test_readme_profile_example_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    profile = load_profile(str(path))
    assert profile.name == "demo" and profile.url_pattern == r"/firm/\d+$"
    assert profile.fields["emails"].startswith("xpath:")


def test_rdfa_is_read_only_when_asked() -> None:
    html = """<html><body><div vocab="https://schema.org/" typeof="Organization">
      <span property="name">ООО Рдфа</span>
      <span property="telephone">+7 495 111-22-33</span></div></body></html>"""
    root = Selector(text=html).root
    assert organisation_fields(root, html, "http://x/") == ({}, None)
    fields, syntax = organisation_fields(root, html, "http://x/", rdfa=True)
    assert (syntax, fields["name"], fields["phones"]) == (
        "rdfa",
        "ООО Рдфа",
        ["+7 495 111-22-33"],
    )
