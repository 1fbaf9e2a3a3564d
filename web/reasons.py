"""The ledger's statuses and reasons, and a document's warnings, in Russian, for the workbench only.

The store keeps the pipeline's one-line English reason (the CLI, the JSON API, logs and
scripts read it as written, and a reason is grepped for in bug reports); the workbench is
read by Russian-speaking staff, so its ledger and upload messages say the same in Russian.
A reason is matched against the shapes the extractors and the store write; the parts taken
from the file or a library (a member's name, an exception's text, a count) are carried over
as they are. A reason of no known shape is shown as written: an English line beats a wrong
Russian one.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

STATUS_LABELS = {
    "stored": "сохранён",
    "duplicate": "дубликат",
    "superseded": "изменён позднейшим актом",
    "skipped": "пропущен",
    "failed": "не прочитан",
}

_INSTALL = "установите пакеты Debian"

# (pattern of an English reason, its Russian). Patterns are anchored at the start; `{name}`
# in the Russian is the named group of that name. Order matters only where two could match:
# the narrower shape comes first.
_SHAPES: list[tuple[str, str]] = [
    # What the file is
    (r"empty file \(0 bytes\)$", "пустой файл (0 байт)"),
    (r"cannot (?:open|read) file: (?P<d>.+)$", "файл не открывается: {d}"),
    (r"encrypted PDF: a password is needed to open it$", "PDF зашифрован: для открытия нужен пароль"),
    (r"PDF has no pages$", "в PDF нет страниц"),
    (r"PDF has (?P<n>\d+) pages \(the limit is (?P<m>\d+)\)$", "в PDF {n} стр. (допускается не больше {m})"),
    (r"corrupt PDF: the file is cut short \((?P<d>.+)\)$", "PDF повреждён: файл обрывается ({d})"),
    (r"corrupt PDF: no document catalogue, not a PDF or badly damaged \((?P<d>.+)\)$",
     "PDF повреждён: нет каталога документа — это не PDF или он сильно повреждён ({d})"),
    (r"corrupt PDF: (?P<d>.+)$", "PDF повреждён: {d}"),
    (r"corrupt DOCX: no main document part \((?P<d>.+)\)$", "DOCX повреждён: нет основной части документа ({d})"),
    (r"corrupt DOCX: the document part has no body$", "DOCX повреждён: в документе нет текста (body)"),
    (r"unreadable DOCX: (?P<d>.+)$", "DOCX не читается: {d}"),
    (r"corrupt ZIP container: (?P<d>.+)$", "контейнер ZIP повреждён: {d}"),
    (r"corrupt ZIP archive: (?P<d>.+)$", "архив ZIP повреждён: {d}"),
    (r"corrupt archive member: (?P<d>.+)$", "файл в архиве повреждён: {d}"),
    (r"corrupt document part (?P<name>\S+): (?P<d>.+)$", "часть документа {name} повреждена: {d}"),
    (r"corrupt image: page (?P<n>\d+): (?P<d>.+)$", "изображение повреждено: страница {n}: {d}"),
    (r"corrupt image: (?P<d>.+)$", "изображение повреждено: {d}"),
    (r"a ZIP archive that is not a DOCX, ODT, XLSX or ODS document$",
     "архив ZIP, а не документ DOCX, ODT, XLSX или ODS"),
    (r"not a document: the file is an HTML page$", "не документ: это страница HTML"),
    (r"not a document: the file is (?P<what>.+?) \(scans are read as PDF, JPEG, PNG or TIFF\)$",
     "не документ: это {what} (сканы читаются в PDF, JPEG, PNG или TIFF)"),
    (r"not a document: the file is plain text, not a table \(orders are read as PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, "
     r"ODS, CSV or an image\)$",
     "не документ: это простой текст, а не таблица (приказы читаются из PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, "
     "CSV и изображений)"),
    (r"unknown file format \(not PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, CSV or an image\)$",
     "неизвестный формат (не PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, CSV и не изображение)"),
    (r"not a scanned page: the file is a (?P<w>\d+) × (?P<h>\d+) px (?P<fmt>\w+) image$",
     "не скан страницы: изображение {fmt} размером {w} × {h} пикселей"),
    (r"image too large to be a page: (?P<w>\d+) × (?P<h>\d+) px \(the limit is (?P<m>\d+) megapixels\)$",
     "изображение слишком велико для страницы: {w} × {h} пикселей (допускается до {m} мегапикселей)"),
    (r"image too large to be a page: (?P<d>.+)$", "изображение слишком велико для страницы: {d}"),
    (r"image has (?P<n>\d+) frames \(the limit is (?P<m>\d+) pages\)$",
     "в изображении {n} кадров (допускается не больше {m} страниц)"),
    # Spreadsheets and CSV
    (r"empty spreadsheet: no sheet holds a value$", "пустая таблица: ни на одном листе нет значений"),
    (r"encrypted spreadsheet: a password is needed to open it(?P<rest>.*)$",
     "таблица зашифрована: для открытия нужен пароль{rest}"),
    (r"corrupt spreadsheet: (?P<d>.+?)(?P<rest> \(sheet .+\))?$", "таблица повреждена: {d}{rest}"),
    (r"sheet (?P<name>.+?) is (?P<h>\d+) rows × (?P<w>\d+) columns, too large for a roadmap(?P<rest>.*)$",
     "лист {name}: {h} строк × {w} столбцов — слишком велик для дорожной карты{rest}"),
    (r"CSV file of (?P<n>\d+) bytes is too large for a roadmap$", "файл CSV ({n} байт) слишком велик для дорожной карты"),
    (r"CSV table too large for a roadmap \(limits (?P<h>\d+) × (?P<w>\d+)\)$",
     "таблица CSV слишком велика для дорожной карты (допускается {h} × {w})"),
    (r"not a CSV table: no delimiter separates its lines into columns$",
     "не таблица CSV: строки не делятся на столбцы ни одним разделителем"),
    (r"not a CSV table: the text is neither UTF-8 nor Windows-1251$",
     "не таблица CSV: текст не в кодировке UTF-8 и не Windows-1251"),
    # Not an order
    (r"not a roadmap: the document has no table$", "не дорожная карта: в документе нет таблицы"),
    (r"not a roadmap: none of its (?P<n>\d+) table\(s\) has a date/deadline column$",
     "не дорожная карта: ни в одной из таблиц ({n}) нет столбца сроков"),
    (r"not an order \((?P<kind>[^)]*)\): plain text$", "не приказ ({kind}): простой текст"),
    (r"not an order \((?P<kind>[^)]*)\): (?P<inner>.+)$", "не приказ ({kind}): {inner}"),
    # Archives
    (r"unsafe path in archive: (?P<name>.+)$", "опасный путь в архиве: {name}"),
    (r"symbolic link in archive: (?P<name>.+)$", "символическая ссылка в архиве: {name}"),
    (r"encrypted archive member \(password-protected ZIP\)$", "файл в архиве зашифрован (ZIP с паролем)"),
    (r"archive member too large: (?P<name>.+) unpacks to (?P<n>\d+) bytes \(limit (?P<m>\d+)\)$",
     "файл в архиве слишком велик: {name} распаковывается в {n} байт (допускается {m})"),
    (r"archive member refused: (?P<name>.+) compression ratio (?P<r>\d+:1) \(limit (?P<m>\d+:1)\); zip bomb\?$",
     "файл в архиве отклонён: {name} сжат в {r} (допускается {m}) — похоже на zip-бомбу"),
    (r"archive refused: (?P<n>\d+) members \(limit (?P<m>\d+)\)$", "архив отклонён: {n} файлов (допускается {m})"),
    (r"archive refused: would unpack to (?P<n>\d+) bytes \(limit (?P<m>\d+)\); zip bomb\?$",
     "архив отклонён: распаковался бы в {n} байт (допускается {m}) — похоже на zip-бомбу"),
    (r"archive refused: its nested archives would unpack past (?P<n>\d+) bytes in all; zip bomb\?$",
     "архив отклонён: вложенные архивы распаковались бы больше чем в {n} байт — похоже на zip-бомбу"),
    (r"archive member inflates past its declared size; zip bomb\?$",
     "файл в архиве распаковывается больше заявленного размера — похоже на zip-бомбу"),
    # Tools
    (r"scanned PDF needs OCR but tesseract is not installed.*$",
     f"скан нужно распознать, но tesseract не установлен: {_INSTALL} tesseract-ocr и tesseract-ocr-rus"),
    (r"tesseract is not installed.*$", f"tesseract не установлен: {_INSTALL} tesseract-ocr и tesseract-ocr-rus"),
    (r"tesseract has no Russian language data.*$",
     f"у tesseract нет русского языка: {_INSTALL} tesseract-ocr-rus"),
    (r"tesseract does not run \((?P<d>.+)\): reinstall the Debian package tesseract-ocr$",
     "tesseract не запускается ({d}): переустановите пакет Debian tesseract-ocr"),
    (r"tesseract failed: (?P<d>.+)$", "ошибка tesseract: {d}"),
    (r"OCR timed out after (?P<n>\d+) s on one page$", "распознавание одной страницы не уложилось в {n} с"),
    (r"OCR: cannot encode the page image$", "распознавание: не удалось подготовить изображение страницы"),
    (r"LibreOffice \(soffice\) is needed to read \.doc/\.rtf/\.odt files.*$",
     "для чтения .doc/.rtf/.odt нужен LibreOffice (soffice): установите его пакеты Debian"),
    (r"LibreOffice conversion timed out after (?P<n>\d+) s$", "преобразование в LibreOffice не уложилось в {n} с"),
    (r"LibreOffice conversion failed: (?P<d>.+)$", "преобразование в LibreOffice не удалось: {d}"),
    (r"LibreOffice could not convert (?P<name>.+) to DOCX \(unreadable or corrupt file\)$",
     "LibreOffice не смог преобразовать {name} в DOCX (файл не читается или повреждён)"),
    (r"no text found in the document \(scanned pages could not be read\)$",
     "в документе не найден текст (страницы скана не распознаны)"),
    (r"no text found in the document$", "в документе не найден текст"),
    (r"not a readable roadmap order$", "не читается как приказ с дорожной картой"),
    # The run
    (r"transient error, retries exhausted: (?P<d>.+)$", "временная ошибка, повторные попытки исчерпаны: {d}"),
    (r"internal error: (?P<d>.+)$", "внутренняя ошибка программы: {d}"),
    (r"unknown error$", "неизвестная ошибка"),
    (r"an extraction worker process died \((?P<d>.+)\)$", "процесс чтения файла аварийно завершился ({d})"),
    (r"file changed while it was being ingested; it will be read again next run$",
     "файл изменился во время чтения; он будет прочитан при следующем запуске"),
    # A file stored by an earlier run (pipeline.ingest.read_back), with what the ledger says of it now
    (r"already ingested (?P<when>\d{4}-\d{2}-\d{2}) \(act (?P<act>.+?)\); (?P<status>[a-z_]+): (?P<inner>.+)$",
     "уже принят {when} (акт {act}); {status}: {inner}"),
    (r"already ingested (?P<when>\d{4}-\d{2}-\d{2}) \(act (?P<act>.+)\)$", "уже принят {when} (акт {act})"),
    # Copies and amendments (the store's notes)
    (r"same bytes as (?P<origin>.+), stored (?P<when>.+) \(act (?P<act>.+)\)$",
     "те же байты, что у {origin}, сохранённого {when} (акт {act})"),
    (r"superseded by act (?P<act>.+) stored from (?P<origin>.+) on (?P<when>.+)$",
     "изменён актом {act}, сохранённым из {origin} {when}"),
    (r"another rendition of act (?P<act>.+) stored from (?P<origin>.+?) on (?P<when>[^;]+); BUT ITS PLAN DIFFERS "
     r"\((?P<diff>[^)]*)\): not used for the act — see `(?P<cmd>[^`]+)`$",
     "другой экземпляр акта {act}, сохранённого из {origin} {when}; НО ЕГО ПЛАН ОТЛИЧАЕТСЯ ({diff}): "
     "для акта не используется — сравнить: `{cmd}`"),
    (r"another rendition of act (?P<act>.+) stored from (?P<origin>.+) on (?P<when>.+)$",
     "другой экземпляр акта {act}, сохранённого из {origin} {when}"),
    # What a document stored by a run took the place of (pipeline.store.documents.took_the_place_of)
    (r"supersedes act (?P<act>.+) stored from (?P<origin>.+) on (?P<when>.+)$",
     "изменяет акт {act}, сохранённый из {origin} {when}"),
    (r"in force in place of another rendition of the act stored from (?P<origin>.+?) on (?P<when>[^;]+); "
     r"THE PLANS DIFFER \((?P<diff>[^)]*)\): see `(?P<cmd>[^`]+)`$",
     "действует вместо другого экземпляра акта, сохранённого из {origin} {when}; ПЛАНЫ ОТЛИЧАЮТСЯ ({diff}): "
     "сравнить: `{cmd}`"),
    (r"in force in place of another rendition of the act stored from (?P<origin>.+) on (?P<when>.+)$",
     "действует вместо другого экземпляра акта, сохранённого из {origin} {when}"),
]

_COMPILED = [(re.compile(pattern), russian) for pattern, russian in _SHAPES]

# A stored document's warnings (header fields not found, OCR unsure of a line, …): the same way.
_WARNINGS: list[tuple[str, str]] = [
    (r"header: act type \(приказ/распоряжение/…\) not found$", "шапка: не найден вид акта (приказ, распоряжение …)"),
    (r"header: title \(О …/Об …\) not found$", "шапка: не найдено название (О …, Об …)"),
    (r"header: issuing body not found$", "шапка: не найден издавший акт орган"),
    (r"header: act number not found$", "шапка: не найден номер акта"),
    (r"header: act date not found$", "шапка: не найдена дата акта"),
    (r"header: region not found$", "шапка: не определён регион"),
    (r"page (?P<n>\d+): unreadable \((?P<d>.+)\)$", "стр. {n} не читается ({d})"),
    (r"pages (?P<pages>.+?) have no usable text layer and were not OCRed: (?P<d>.+)$",
     "на стр. {pages} нет текстового слоя, а распознать их не удалось: {d}"),
    (r"page (?P<n>\d+): OCR unsure \((?P<where>[^,)]+(?:, row \d+, column \d+)?), confidence (?P<c>\d+)\): (?P<line>.*)$",
     "стр. {n}: распознавание не уверено ({where}, уверенность {c}): {line}"),
    (r"page (?P<n>\d+): OCR unsure of (?P<k>\d+) more line\(s\)$", "стр. {n}: распознавание не уверено ещё в {k} строк(ах)"),
    (r"plan period taken from the table's dates: (?P<y>\d+)$", "период плана взят из дат таблицы: {y}"),
    (r"table (?P<t>\d+) row (?P<r>\d+): activity text is empty$", "таблица {t}, строка {r}: пустой текст мероприятия"),
    (r"table (?P<t>\d+): no recognisable header, columns guessed from content$",
     "таблица {t}: заголовок не распознан, столбцы определены по содержимому"),
    (r"corrections? (?P<ids>.+?) not applied: (?P<d>.+)$", "исправление {ids} не применено: {d}"),
]
_COMPILED_WARNINGS = [(re.compile(pattern), russian) for pattern, russian in _WARNINGS]
_PLACES = {"table": "таблица", "text": "текст", "row": "строка", "column": "столбец"}

# The words of a plan difference (pipeline.store.ledger.renditions_differ: `2 moved, 1 dropped`).
_DIFF_WORDS = {"moved": "перенесено", "added": "добавлено", "dropped": "исключено"}


def status_ru(status: Optional[str]) -> str:
    """A ledger status as the workbench names it (an unknown one as written)."""
    return STATUS_LABELS.get(status or "", status or "")


def reason_ru(reason: Optional[str]) -> str:
    """A ledger reason in Russian; a reason of no known shape as written, '' for none."""
    return in_russian(reason, _COMPILED)


def warning_ru(warning: Optional[str]) -> str:
    """A document's warning in Russian; one of no known shape as written, '' for none."""
    return in_russian(warning, _COMPILED_WARNINGS)


def in_russian(text: Optional[str], shapes: list[tuple[re.Pattern, str]],
               part: Optional[Callable[[str, str], str]] = None) -> str:
    """`text` by the first shape whose pattern matches it, each named part carried over through
    `part` (default: this module's words for a ledger reason's parts); as written when none does."""
    if not text:
        return ""
    part = part or _field
    for pattern, russian in shapes:
        match = pattern.match(text)
        if match:
            return russian.format(**{name: part(name, value or "") for name, value in match.groupdict().items()})
    return text


def _field(name: str, value: str) -> str:
    """A part of a reason carried over, its few English words said in Russian."""
    if name == "where":  # `table 2, row 3, column 4`
        return re.sub(r"\b(table|text|row|column)\b", lambda m: _PLACES[m.group(1)], value)
    if name == "inner":
        return reason_ru(value)
    if name == "kind":
        return "файл без расширения" if value == "file without an extension" else re.sub(r"^(\S+) file$", r"файл \1", value)
    if name == "what":
        return re.sub(r"^an? (\w+) image$", r"изображение \1", value)
    if name == "diff":
        return re.sub(r"\b(moved|added|dropped)\b", lambda m: _DIFF_WORDS[m.group(1)], value)
    if name == "act":
        if value == "without a readable number or date":
            return "без читаемых номера и даты"
        return _ISO_DAY.sub(lambda m: f"от {_day(m)}", value)
    if name == "status":
        return status_ru(value)
    if name == "origin" and value == "an unknown file":
        return "неизвестного файла"
    if name == "when":
        return "в неизвестный день" if value == "an unknown day" else _BARE_DAY.sub(_day, value)
    if name == "rest":
        return re.sub(r"\(limits (\d+) × (\d+)\)", r"(допускается \1 × \2)", re.sub(r"\(sheet (.+)\)", r"(лист \1)", value))
    return value


_ISO_DAY = re.compile(r"\bof (\d{4})-(\d{2})-(\d{2})$")
_BARE_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _day(match: re.Match) -> str:
    year, month, day = match.groups()
    return f"{day}.{month}.{year}"
