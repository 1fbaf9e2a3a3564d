"""The workbench's Russian for the ledger: a table of real reasons (as the extractors and
the store write them) and their Russian, and a check over the source that every reason an
extractor can raise has a Russian shape, so a reworded message cannot slip back to English
on the Russian page unnoticed."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from source_trees import parse_file
from web.reasons import STATUS_LABELS, reason_ru, status_ru

ROOT = Path(__file__).resolve().parents[2]

CASES = [
    ("empty file (0 bytes)", "пустой файл (0 байт)"),
    ("cannot open file: Permission denied", "файл не открывается: Permission denied"),
    ("cannot read file: No such file or directory", "файл не открывается: No such file or directory"),
    ("encrypted PDF: a password is needed to open it", "PDF зашифрован: для открытия нужен пароль"),
    ("PDF has no pages", "в PDF нет страниц"),
    ("PDF has 1200 pages (the limit is 1000)", "в PDF 1200 стр. (допускается не больше 1000)"),
    ("corrupt PDF: the file is cut short (Unexpected EOF)", "PDF повреждён: файл обрывается (Unexpected EOF)"),
    ("corrupt PDF: no document catalogue, not a PDF or badly damaged (No /Root object! - Is this really a PDF?)",
     "PDF повреждён: нет каталога документа — это не PDF или он сильно повреждён (No /Root object! - Is this really "
     "a PDF?)"),
    ("corrupt PDF: PSSyntaxError: Invalid dictionary construct: [/'Length', 12]",
     "PDF повреждён: PSSyntaxError: Invalid dictionary construct: [/'Length', 12]"),
    ("corrupt DOCX: no main document part (There is no item named 'word/document.xml' in the archive)",
     "DOCX повреждён: нет основной части документа (There is no item named 'word/document.xml' in the archive)"),
    ("corrupt DOCX: the document part has no body", "DOCX повреждён: в документе нет текста (body)"),
    ("unreadable DOCX: XMLSyntaxError: Entity 'lol9' not defined",
     "DOCX не читается: XMLSyntaxError: Entity 'lol9' not defined"),
    ("corrupt ZIP container: File is not a zip file", "контейнер ZIP повреждён: File is not a zip file"),
    ("corrupt ZIP archive: Bad magic number for central directory",
     "архив ZIP повреждён: Bad magic number for central directory"),
    ("corrupt archive member: Bad CRC-32 for file 'a.docx'", "файл в архиве повреждён: Bad CRC-32 for file 'a.docx'"),
    ("corrupt document part word/document.xml: Error -3 while decompressing data",
     "часть документа word/document.xml повреждена: Error -3 while decompressing data"),
    ("corrupt image: page 3: OSError: broken data stream", "изображение повреждено: страница 3: OSError: broken data stream"),
    ("corrupt image: UnidentifiedImageError: cannot identify image file",
     "изображение повреждено: UnidentifiedImageError: cannot identify image file"),
    ("a ZIP archive that is not a DOCX, ODT, XLSX or ODS document", "архив ZIP, а не документ DOCX, ODT, XLSX или ODS"),
    ("not a document: the file is an HTML page", "не документ: это страница HTML"),
    ("not a document: the file is a GIF image (scans are read as PDF, JPEG, PNG or TIFF)",
     "не документ: это изображение GIF (сканы читаются в PDF, JPEG, PNG или TIFF)"),
    ("not a document: the file is plain text, not a table (orders are read as PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, "
     "ODS, CSV or an image)",
     "не документ: это простой текст, а не таблица (приказы читаются из PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, "
     "CSV и изображений)"),
    ("unknown file format (not PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, CSV or an image)",
     "неизвестный формат (не PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, CSV и не изображение)"),
    ("not a scanned page: the file is a 64 × 48 px JPEG image", "не скан страницы: изображение JPEG размером 64 × 48 пикселей"),
    ("image too large to be a page: 40000 × 40000 px (the limit is 200 megapixels)",
     "изображение слишком велико для страницы: 40000 × 40000 пикселей (допускается до 200 мегапикселей)"),
    ("image too large to be a page: Image size (1600000000 pixels) exceeds limit",
     "изображение слишком велико для страницы: Image size (1600000000 pixels) exceeds limit"),
    ("image has 400 frames (the limit is 300 pages)", "в изображении 400 кадров (допускается не больше 300 страниц)"),
    ("empty spreadsheet: no sheet holds a value", "пустая таблица: ни на одном листе нет значений"),
    ("encrypted spreadsheet: a password is needed to open it", "таблица зашифрована: для открытия нужен пароль"),
    ("encrypted spreadsheet: a password is needed to open it (sheet 'План')",
     "таблица зашифрована: для открытия нужен пароль (лист 'План')"),
    ("corrupt spreadsheet: XlsxError: bad zip", "таблица повреждена: XlsxError: bad zip"),
    ("corrupt spreadsheet: CalamineError (sheet 'Лист1')", "таблица повреждена: CalamineError (лист 'Лист1')"),
    ("sheet 'Лист1' is 70000 rows × 20 columns, too large for a roadmap (limits 5000 × 200)",
     "лист 'Лист1': 70000 строк × 20 столбцов — слишком велик для дорожной карты (допускается 5000 × 200)"),
    ("CSV file of 90000000 bytes is too large for a roadmap", "файл CSV (90000000 байт) слишком велик для дорожной карты"),
    ("CSV table too large for a roadmap (limits 5000 × 200)", "таблица CSV слишком велика для дорожной карты (допускается 5000 × 200)"),
    ("not a CSV table: no delimiter separates its lines into columns",
     "не таблица CSV: строки не делятся на столбцы ни одним разделителем"),
    ("not a CSV table: the text is neither UTF-8 nor Windows-1251", "не таблица CSV: текст не в кодировке UTF-8 и не Windows-1251"),
    ("not a roadmap: the document has no table", "не дорожная карта: в документе нет таблицы"),
    ("not a roadmap: none of its 3 table(s) has a date/deadline column",
     "не дорожная карта: ни в одной из таблиц (3) нет столбца сроков"),
    ("no text found in the document", "в документе не найден текст"),
    ("no text found in the document (scanned pages could not be read)",
     "в документе не найден текст (страницы скана не распознаны)"),
    ("not a readable roadmap order", "не читается как приказ с дорожной картой"),
    ("not an order (.txt file): plain text", "не приказ (файл .txt): простой текст"),
    ("not an order (file without an extension): plain text", "не приказ (файл без расширения): простой текст"),
    ("not an order (.log file): not a document: the file is an HTML page", "не приказ (файл .log): не документ: это страница HTML"),
    ("not an order (.bin file): unknown file format (not PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, CSV or an image)",
     "не приказ (файл .bin): неизвестный формат (не PDF, DOCX, ODT, DOC, RTF, XLSX, XLS, ODS, CSV и не изображение)"),
    ("unsafe path in archive: '../../etc/passwd'", "опасный путь в архиве: '../../etc/passwd'"),
    ("symbolic link in archive: 'link.docx'", "символическая ссылка в архиве: 'link.docx'"),
    ("encrypted archive member (password-protected ZIP)", "файл в архиве зашифрован (ZIP с паролем)"),
    ("archive member too large: 'big.docx' unpacks to 1073741824 bytes (limit 268435456)",
     "файл в архиве слишком велик: 'big.docx' распаковывается в 1073741824 байт (допускается 268435456)"),
    ("archive member refused: 'bomb.docx' compression ratio 1030:1 (limit 200:1); zip bomb?",
     "файл в архиве отклонён: 'bomb.docx' сжат в 1030:1 (допускается 200:1) — похоже на zip-бомбу"),
    ("archive refused: 20000 members (limit 10000)", "архив отклонён: 20000 файлов (допускается 10000)"),
    ("archive refused: would unpack to 5000000000 bytes (limit 1073741824); zip bomb?",
     "архив отклонён: распаковался бы в 5000000000 байт (допускается 1073741824) — похоже на zip-бомбу"),
    ("archive refused: its nested archives would unpack past 1073741824 bytes in all; zip bomb?",
     "архив отклонён: вложенные архивы распаковались бы больше чем в 1073741824 байт — похоже на zip-бомбу"),
    ("archive member inflates past its declared size; zip bomb?",
     "файл в архиве распаковывается больше заявленного размера — похоже на zip-бомбу"),
    ("scanned PDF needs OCR but tesseract is not installed: install the Debian packages tesseract-ocr and tesseract-ocr-rus",
     "скан нужно распознать, но tesseract не установлен: установите пакеты Debian tesseract-ocr и tesseract-ocr-rus"),
    ("tesseract is not installed: install the Debian packages tesseract-ocr and tesseract-ocr-rus",
     "tesseract не установлен: установите пакеты Debian tesseract-ocr и tesseract-ocr-rus"),
    ("tesseract has no Russian language data: install the Debian package tesseract-ocr-rus",
     "у tesseract нет русского языка: установите пакеты Debian tesseract-ocr-rus"),
    ("tesseract does not run ([Errno 8] Exec format error): reinstall the Debian package tesseract-ocr",
     "tesseract не запускается ([Errno 8] Exec format error): переустановите пакет Debian tesseract-ocr"),
    ("tesseract failed: Error in pixReadMem: Unknown format", "ошибка tesseract: Error in pixReadMem: Unknown format"),
    ("OCR timed out after 120 s on one page", "распознавание одной страницы не уложилось в 120 с"),
    ("OCR: cannot encode the page image", "распознавание: не удалось подготовить изображение страницы"),
    ("LibreOffice (soffice) is needed to read .doc/.rtf/.odt files: install libreoffice-writer-nogui",
     "для чтения .doc/.rtf/.odt нужен LibreOffice (soffice): установите его пакеты Debian"),
    ("LibreOffice conversion timed out after 120 s", "преобразование в LibreOffice не уложилось в 120 с"),
    ("LibreOffice conversion failed: Error: source file could not be loaded",
     "преобразование в LibreOffice не удалось: Error: source file could not be loaded"),
    ("LibreOffice could not convert order.doc to DOCX (unreadable or corrupt file)",
     "LibreOffice не смог преобразовать order.doc в DOCX (файл не читается или повреждён)"),
    ("an extraction worker process died (A process in the process pool was terminated abruptly)",
     "процесс чтения файла аварийно завершился (A process in the process pool was terminated abruptly)"),
    ("file changed while it was being ingested; it will be read again next run",
     "файл изменился во время чтения; он будет прочитан при следующем запуске"),
    ("transient error, retries exhausted: TimeoutError: timed out",
     "временная ошибка, повторные попытки исчерпаны: TimeoutError: timed out"),
    ("internal error: KeyError: 'date'", "внутренняя ошибка программы: KeyError: 'date'"),
    ("unknown error", "неизвестная ошибка"),
    ("same bytes as /inbox/a.pdf, stored 2026-12-01 (act RU-TYU приказ № 918/02 of 2021-02-10)",
     "те же байты, что у /inbox/a.pdf, сохранённого 01.12.2026 (акт RU-TYU приказ № 918/02 от 10.02.2021)"),
    ("same bytes as /inbox/x.pdf, stored 2026-12-01 (act without a readable number or date)",
     "те же байты, что у /inbox/x.pdf, сохранённого 01.12.2026 (акт без читаемых номера и даты)"),
    ("superseded by act RU-IVA приказ № 1081-о of 2022-03-01 stored from /inbox/amend.docx on 2026-12-07",
     "изменён актом RU-IVA приказ № 1081-о от 01.03.2022, сохранённым из /inbox/amend.docx 07.12.2026"),
    ("superseded by act x stored from an unknown file on an unknown day",
     "изменён актом x, сохранённым из неизвестного файла в неизвестный день"),
    ("another rendition of act RU-SAM распоряжение № 5 of 2021-10-01 stored from /inbox/s.docx on 2026-12-07",
     "другой экземпляр акта RU-SAM распоряжение № 5 от 01.10.2021, сохранённого из /inbox/s.docx 07.12.2026"),
    ("another rendition of act RU-SAM распоряжение № 5 of 2021-10-01 stored from /inbox/s.docx on 2026-12-07; "
     "BUT ITS PLAN DIFFERS (2 moved, 1 added, 3 dropped): not used for the act — see `roadmap diff a1 b2`",
     "другой экземпляр акта RU-SAM распоряжение № 5 от 01.10.2021, сохранённого из /inbox/s.docx 07.12.2026; "
     "НО ЕГО ПЛАН ОТЛИЧАЕТСЯ (2 перенесено, 1 добавлено, 3 исключено): для акта не используется — "
     "сравнить: `roadmap diff a1 b2`"),
    ("supersedes act RU-SAM приказ № 199-од of 2020-05-21 stored from /inbox/base.docx on 2026-12-07",
     "изменяет акт RU-SAM приказ № 199-од от 21.05.2020, сохранённый из /inbox/base.docx 07.12.2026"),
    ("in force in place of another rendition of the act stored from /inbox/a.pdf on 2026-12-07",
     "действует вместо другого экземпляра акта, сохранённого из /inbox/a.pdf 07.12.2026"),
    ("in force in place of another rendition of the act stored from /inbox/a.pdf on 2026-12-07; "
     "THE PLANS DIFFER (1 moved, 2 dropped): see `roadmap diff a1 b2`",
     "действует вместо другого экземпляра акта, сохранённого из /inbox/a.pdf 07.12.2026; "
     "ПЛАНЫ ОТЛИЧАЮТСЯ (1 перенесено, 2 исключено): сравнить: `roadmap diff a1 b2`"),
    # a file an earlier run stored, with what the ledger says of it now
    ("already ingested 2026-12-08 (act RU-CU постановление № 74 of 2022-02-28)",
     "уже принят 08.12.2026 (акт RU-CU постановление № 74 от 28.02.2022)"),
    ("already ingested 2026-12-08 (act RU-IVA приказ № 1222-0 of 2021-12-04); duplicate: same bytes as "
     "/in/ivanovo.docx, stored 2026-12-08 (act RU-IVA приказ № 1222-0 of 2021-12-04)",
     "уже принят 08.12.2026 (акт RU-IVA приказ № 1222-0 от 04.12.2021); дубликат: те же байты, что у "
     "/in/ivanovo.docx, сохранённого 08.12.2026 (акт RU-IVA приказ № 1222-0 от 04.12.2021)"),
    ("already ingested 2026-12-08 (act RU-TYU приказ № 918 of 2022-01-14); superseded: superseded by act RU-TYU "
     "приказ № 918/02-изм of 2022-02-28 stored from /in/a.json on 2026-12-08",
     "уже принят 08.12.2026 (акт RU-TYU приказ № 918 от 14.01.2022); изменён позднейшим актом: изменён актом "
     "RU-TYU приказ № 918/02-изм от 28.02.2022, сохранённым из /in/a.json 08.12.2026"),
]


@pytest.mark.parametrize("reason, russian", CASES)
def test_reason_in_russian(reason: str, russian: str) -> None:
    assert reason_ru(reason) == russian


@pytest.mark.parametrize("reason", ["something nobody wrote yet", "", None])
def test_a_reason_of_no_known_shape_is_shown_as_written(reason) -> None:
    assert reason_ru(reason) == (reason or "")


def test_every_ledger_status_has_a_russian_name() -> None:
    from pipeline.store.tables import LEDGER_STATUSES

    assert set(STATUS_LABELS) == set(LEDGER_STATUSES)
    assert [status_ru(s) for s in ("stored", "failed")] == ["сохранён", "не прочитан"]
    assert status_ru("new-status") == "new-status"


_RAISERS = {"ExtractionError", "NotAnOrder", "ContainerRefused", "WorkerCrashed"}


def _messages(tree: ast.AST) -> list[ast.expr]:
    """The messages given to a reader's error, and the strings a `…reason…` function returns."""
    found = [node.args[0] for node in ast.walk(tree)
             if isinstance(node, ast.Call) and node.args and getattr(node.func, "id", None) in _RAISERS]
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef) and "reason" in function.name:
            found += [node.value for node in ast.walk(function) if isinstance(node, ast.Return) and node.value]
    return found


def _written_reasons() -> list[tuple[str, str]]:
    """(where, sample) for every reason literal raised by the readers and the run: each
    `{…}` filled with `7`. A message that starts with another reason (`{exc}`) is that one."""
    found = []
    for folder in ("extractors", "pipeline"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for message in _messages(parse_file(path)):
                if isinstance(message, ast.Constant) and isinstance(message.value, str):
                    sample = message.value
                elif isinstance(message, ast.JoinedStr):
                    sample = "".join(v.value if isinstance(v, ast.Constant) else "7" for v in message.values)
                else:
                    continue
                if not sample.startswith("7"):
                    found.append((f"{path.relative_to(ROOT)}:{message.lineno}", sample))
    return found


def test_every_reason_the_readers_raise_reads_in_russian() -> None:
    written = _written_reasons()
    assert len(written) > 40  # the walk found the readers' messages
    english = [(where, sample) for where, sample in written
               if not re.search("[а-яё]", reason_ru(sample).split(":")[0], re.I)]
    assert english == []


WARNINGS = [
    ("header: act type (приказ/распоряжение/…) not found", "шапка: не найден вид акта (приказ, распоряжение …)"),
    ("header: title (О …/Об …) not found", "шапка: не найдено название (О …, Об …)"),
    ("header: issuing body not found", "шапка: не найден издавший акт орган"),
    ("header: act number not found", "шапка: не найден номер акта"),
    ("header: act date not found", "шапка: не найдена дата акта"),
    ("header: region not found", "шапка: не определён регион"),
    ("page 2: unreadable (PSEOF: Unexpected EOF)", "стр. 2 не читается (PSEOF: Unexpected EOF)"),
    ("pages [2, 3] have no usable text layer and were not OCRed: tesseract is not installed",
     "на стр. [2, 3] нет текстового слоя, а распознать их не удалось: tesseract is not installed"),
    ("page 3: OCR unsure (table 2, row 3, column 4, confidence 41): 'Срок испол'",
     "стр. 3: распознавание не уверено (таблица 2, строка 3, столбец 4, уверенность 41): 'Срок испол'"),
    ("page 1: OCR unsure (text, confidence 12): 'ПРИКАЗ'", "стр. 1: распознавание не уверено (текст, уверенность 12): 'ПРИКАЗ'"),
    ("page 1: OCR unsure (table, confidence 30): '№ п/п'", "стр. 1: распознавание не уверено (таблица, уверенность 30): '№ п/п'"),
    ("page 5: OCR unsure of 7 more line(s)", "стр. 5: распознавание не уверено ещё в 7 строк(ах)"),
    ("plan period taken from the table's dates: 2022", "период плана взят из дат таблицы: 2022"),
    ("table 1 row 7: activity text is empty", "таблица 1, строка 7: пустой текст мероприятия"),
    ("table 2: no recognisable header, columns guessed from content",
     "таблица 2: заголовок не распознан, столбцы определены по содержимому"),
    ("correction 12 not applied: the activity is gone", "исправление 12 не применено: the activity is gone"),
    ("something else", "something else"),
]


@pytest.mark.parametrize("warning, russian", WARNINGS)
def test_a_documents_warning_in_russian(warning: str, russian: str) -> None:
    from web.reasons import warning_ru

    assert warning_ru(warning) == russian


def test_every_warning_the_pipeline_writes_reads_in_russian() -> None:
    """Each `warnings.append(…)` / `items.append(…)` literal of the readers and normalizers
    (`{…}` filled with `7`) has a Russian shape (a timeline file's warnings are the CLI's)."""
    from web.reasons import warning_ru

    found = []
    for folder in ("extractors", "normalizers", "pipeline"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(parse_file(path)):
                if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "append"
                        and getattr(node.func.value, "attr", getattr(node.func.value, "id", "")) in ("warnings", "items")
                        and node.args):
                    continue
                message = node.args[0]
                if isinstance(message, ast.JoinedStr):
                    sample = "".join(v.value if isinstance(v, ast.Constant) else "7" for v in message.values)
                elif isinstance(message, ast.Constant) and isinstance(message.value, str):
                    sample = message.value
                else:
                    continue
                if sample.startswith("7") or "unknown column" in sample or "unknown field" in sample:
                    continue
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", sample))
    assert len(found) >= 10
    english = [(where, sample) for where, sample in found if not re.search("[а-яё]", warning_ru(sample)[:12], re.I)]
    assert english == []


@pytest.mark.parametrize("text, russian", [
    ("status: on_time → missing (Иванова, 2026-12-08)", "статус: в срок → нет в плане (Иванова, 08.12.2026)"),
    ("confirmed (anonymous, 2026-12-08)", "подтверждено (anonymous, 08.12.2026)"),
    ("schedule.end: 2022-02-07 → 2022-01-15 (Петров, 2026-12-08)", "срок: 07.02.2022 → 15.01.2022 (Петров, 08.12.2026)"),
    ("responsible: ИРО → ИРО; кураторы (x, 2026-12-08)", "ответственные: ИРО → ИРО; кураторы (x, 08.12.2026)"),
    ("something else", "something else"),
])
def test_a_rows_corrections_in_russian(text: str, russian: str) -> None:
    from web.corrections_ru import correction_ru

    assert correction_ru(text) == russian


@pytest.mark.parametrize("message, russian", [
    ("a status correction must say why in its comment: it sets aside what the reading found",
     "исправляя статус, напишите в комментарии почему: исправление отменяет прочитанное"),
    ("schedule.end: 1900-01-01 is not a plausible date for an act of 2021 (a corrected date lies within 5 years "
     "of the act's)", "срок: 01.01.1900 — неправдоподобная дата для акта 2021 года (исправленная дата — не дальше "
                      "пяти лет от даты акта)"),
    ("already confirmed by Иванова, and nothing corrected since", "уже подтверждено (Иванова), с тех пор ничего не исправлено"),
    ("schedule.end: no such day: expected a date with its year (2022-04-29, 29.04.2022 or 29 апреля 2022 г.), "
     "got '31.02.2021'", "срок: такого дня нет ('31.02.2021')"),
    ("status: Input should be 'on_time', 'late', 'undated' or 'missing'", "такого статуса нет"),
    ("unknown milestone row: act 'x' has no compliance row for y", "в хранилище нет такой строки соответствия"),
    ("an author is at most 100 characters and a comment at most 1000; unknown activity_id 'z'",
     "имя — не длиннее 100 знаков, комментарий — не длиннее 1000; в хранилище нет такого мероприятия"),
    ("a reason of no known shape", "a reason of no known shape"),
])
def test_why_a_correction_was_refused_in_russian(message: str, russian: str) -> None:
    from web.corrections_ru import refusal_ru

    assert refusal_ru(message) == russian


@pytest.mark.parametrize("fields, line", [
    ({"target_kind": "milestone", "target": "2022-survey-1", "field": "status", "old_value": "missing",
      "new_value": "on_time"}, "статус: нет в плане → в срок"),
    ({"target_kind": "activity", "target": "act-1:a", "field": "schedule.end", "old_value": "2022-02-07",
      "new_value": "2022-01-15"}, "срок: 07.02.2022 → 15.01.2022"),
    ({"target_kind": "activity", "target": "act-1:a", "field": "responsible", "old_value": [{"name": "ИРО"}],
      "new_value": [{"name": "ИРО"}, {"name": "Кураторы"}]}, "ответственные: ИРО → ИРО; Кураторы"),
    ({"target_kind": "activity", "target": "act-1:a", "field": "schedule.start", "old_value": None,
      "new_value": "2022-01-10"}, "начало: — → 10.01.2022"),
    ({"target_kind": "activity", "target": "act-1:a", "field": "*", "kind": "confirm"}, "подтверждено"),
])
def test_a_recorded_correction_as_the_document_page_lists_it(fields, line) -> None:
    from schema import Correction
    from web.corrections_ru import correction_line

    assert correction_line(Correction(act_id="act-1", author="x", **fields)) == line
