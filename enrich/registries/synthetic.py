"""Generated ФНС SME-register releases for the memory test and the benchmark:
realistic documents (organisations and sole traders, old and new attributes),
written straight into a ZIP of `VO_RRMSPSV_*.xml` members, never held in memory."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

REGIONS = ("77", "50", "78", "16", "66", "54", "23", "02")
OKVEDS = ("62.01", "63.11", "46.90", "47.11", "56.10", "41.20", "70.22", "68.20")
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Файл ИдФайл="{name}" ВерсФорм="4.06" '
    'ТипИнф="РЕЕСТРМСП" ВерсПрог="1.0" КолДок="{count}">'
    '<ИдОтпр><ФИООтв Фамилия="-" Имя="-"/></ИдОтпр>\n'
)


def _document(i: int, rng: random.Random) -> str:
    region, okved = rng.choice(REGIONS), rng.choice(OKVEDS)
    category, new = rng.choice("1112"), "1" if rng.random() < 0.1 else "2"
    place = (
        f'<СведМН КодРегион="{region}"><Регион Тип="г" Наим="Регион {region}"/>'
        f'<Город Тип="г" Наим="Город {i % 500}"/></СведМН>'
        f'<СвОКВЭД><СвОКВЭДОсн КодОКВЭД="{okved}" НаимОКВЭД="Вид деятельности '
        f'{okved}" ВерсОКВЭД="2014"/><СвОКВЭДДоп КодОКВЭД="{rng.choice(OKVEDS)}" '
        'НаимОКВЭД="Дополнительный вид" ВерсОКВЭД="2014"/></СвОКВЭД>'
    )
    head = (
        f'<Документ ИдДок="{i:036d}" ДатаСост="10.11.2026" ДатаВклМСП="10.08.2016" '
        f'ВидСубМСП="{{kind}}" КатСубМСП="{category}" ПризНовМСП="{new}" '
        'СведСоцПред="2"'
    )
    if i % 3:
        return (
            head.format(kind="1")
            + f' ССЧР="{i % 250}"><ОргВклМСП НаимОрг="ОБЩЕСТВО С ОГРАНИЧЕННОЙ '
            f'ОТВЕТСТВЕННОСТЬЮ &quot;КОМПАНИЯ {i}&quot;" НаимОргСокр="ООО '
            f'&quot;КОМПАНИЯ {i}&quot;" ИННЮЛ="{7700000000 + i}" '
            f'ОГРН="{1027700000000 + i}"/>{place}</Документ>\n'
        )
    return (
        head.format(kind="2")
        + f'><ИПВклМСП ИННФЛ="{770000000000 + i}" ОГРНИП="{304770000000000 + i}">'
        f'<ФИОИП Фамилия="ИВАНОВ{i % 97}" Имя="ИВАН" Отчество="ИВАНОВИЧ"/>'
        f"</ИПВклМСП>{place}</Документ>\n"
    )


def write_rmsp_zip(
    path: Path, documents: int, per_file: int = 10_000, seed: int = 7
) -> Path:
    """Write a release of `documents` documents, `per_file` per XML member."""
    rng = random.Random(seed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for start in range(0, documents, per_file):
            count = min(per_file, documents - start)
            name = f"VO_RRMSPSV_0000_9965_20261110_{start // per_file + 1:04d}"
            with archive.open(f"{name}.xml", "w") as member:
                member.write(HEAD.format(name=name, count=count).encode())
                for i in range(start, start + count):
                    member.write(_document(i, rng).encode())
                member.write("</Файл>\n".encode())
    return path
