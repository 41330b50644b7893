"""Reading a feed's bytes as text.

A feed's charset is declared in the HTTP Content-Type (``charset=``) or in
its XML declaration (``<?xml ... encoding="..."?>``), and is UTF-8 when
neither says. Many feeds get this wrong: Russian feeds in windows-1251 or
KOI8-R that declare nothing (or UTF-8, or ISO-8859-1), or a UTF-8 feed with
one pasted byte that is not UTF-8. Left to feedparser, such a feed comes out
as windows-1252 ("Ïûòêè â ÑÈÇÎ") or the whole feed is garbled for one bad
byte.

``decode_feed`` decides:

1. a byte-order mark wins;
2. bytes that are valid UTF-8 are UTF-8, whatever was declared (text in a
   single-byte charset with any non-ASCII letters is practically never valid
   UTF-8);
3. bytes that are mostly UTF-8 (at least as many valid multi-byte characters
   as invalid sequences) are UTF-8, each invalid sequence replaced with
   U+FFFD where it is, so only the items that hold one are touched;
4. otherwise the bytes are in a single-byte charset: the declared one, unless
   the text reads clearly better in windows-1251, KOI8-R or windows-1252.
   "Reads better" is a small model of Russian text (letter frequencies, no
   capital after a small letter inside a word, vowels and consonants
   alternating, no Cyrillic letter inside a Latin word) applied to the
   non-ASCII characters, which are all that differ between these charsets.

No dependency: the candidates are few and the model is a letter table.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass
from itertools import islice

REPLACEMENT = "\ufffd"

# Russian letter frequencies (per cent, in running text).
_RU_FREQ = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73,
    "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
    "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97,
    "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04,
    "ё": 0.04,
}  # fmt: skip
_LOG_RU = {letter: math.log(pct / 100) for letter, pct in _RU_FREQ.items()}
_LOG_OTHER_CYRILLIC = math.log(0.0005)  # і, ї, є, ђ, ...: rare in Russian feeds
# Letter case: words are in small letters, capitalised or in capitals
# (СИЗО, ГКНБ); a capital after a small letter inside a word only comes from
# reading the bytes in the wrong charset (windows-1251 and KOI8-R have small
# and capital letters the other way round, so "Пытки" turns into "оПЩРЙХ").
_LOG_CAPITAL_AFTER_SMALL = math.log(1e-3)
# The shape of Russian words, whatever their case: vowels and consonants
# alternate (after a vowel comes a consonant nine times in ten, after a
# consonant a vowel three times in four), and no word starts with ь, ъ or ы.
# Reading the bytes in the wrong charset swaps letters and breaks both.
_VOWELS = frozenset("аеёиоуыэюя")
_LOG_NEXT = {
    (True, True): math.log(0.1),
    (True, False): math.log(0.9),
    (False, True): math.log(0.75),
    (False, False): math.log(0.25),
}
_LOG_BAD_START = math.log(1e-3)
_LOG_CYRILLIC_IN_LATIN_WORD = math.log(1e-5)  # "cafй": windows-1252 read as windows-1251
_LOG_ACCENT_IN_LATIN_WORD = math.log(0.02)  # "café"
_LOG_ACCENT_WORD = math.log(1e-3)  # "Ïûòêè": a word of accented letters only
_LOG_PUNCT = math.log(0.01)
_LOG_SYMBOL = math.log(1e-4)  # box drawing, currency signs, control characters
_PUNCT = set("«»„“”‘’‚–—…•№·\u00a0\u00ad°©®™€")

# Single-byte charsets tried when the bytes are not UTF-8, in order of
# preference when they read equally well.
CANDIDATES = ("windows-1252", "windows-1251", "koi8-r")
# How much better (natural log per non-ASCII character) another charset must
# read to overrule a declared one, and how many non-ASCII characters it takes
# to tell at all.
_OVERRULE_MARGIN = 0.5
_MIN_EVIDENCE = 8
# Enough of the text to decide on: the first words with non-ASCII letters.
_SAMPLE_WORDS = 3000

_XML_DECL = re.compile(rb"^\s*<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:\-]{1,40})[\"']")
_XML_DECL_TEXT = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# "<?" in UTF-16 and UTF-32 without a byte-order mark (XML 1.0, appendix F).
_WIDE_MARKERS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_ASCII = bytes(range(128))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MAX_WORD = 64


@dataclass
class Decoded:
    text: str
    encoding: str  # what the bytes were read as (a Python codec name)
    misdeclared: str = ""  # what the feed declared, when the bytes are something else
    replaced: int = 0  # invalid byte sequences replaced with U+FFFD

    @property
    def problem(self) -> str:
        """What is wrong with the bytes, in words ("" when nothing is)."""
        parts = []
        if self.misdeclared:
            parts.append(f"{self.misdeclared}, but the text is {self.encoding}; read as {self.encoding}")
        if self.replaced:
            parts.append(
                f"{self.replaced} byte sequence(s) that are not valid {self.encoding} "
                f"replaced with {REPLACEMENT}"
            )
        return "; ".join(parts)


def codec_name(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return {"cp1251": "windows-1251", "cp1252": "windows-1252", "latin-1": "iso8859-1"}.get(name, name)


def _is_single_byte(name: str) -> bool:
    try:
        return len(bytes(range(256)).decode(name, errors="replace")) == 256
    except LookupError:
        return False


def _http_charset(content_type: str) -> str:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def _words(text: str):
    """Each word holding a non-ASCII letter, and each non-ASCII character
    that is not a letter on its own. Linear in the text: a word is grown
    from its non-ASCII letter, at most _MAX_WORD letters each way."""
    end = 0
    for match in _NON_ASCII.finditer(text):
        at = match.start()
        if at < end:
            continue
        if not text[at].isalpha():
            yield text[at]
            continue
        start, end = at, at + 1
        while start > 0 and at - start < _MAX_WORD and text[start - 1].isalpha():
            start -= 1
        while end < len(text) and end - at < _MAX_WORD and text[end].isalpha():
            end += 1
        yield text[start:end]


def _shape(word: str) -> float:
    """Log-likelihood of a lower-case word's run of vowels and consonants."""
    score = _LOG_BAD_START if word[:1] in "ьъы" else 0.0
    previous = None
    for char in word:
        if not "\u0400" <= char <= "\u04ff" or char in "ьъй":
            continue  # signs and й go with either
        vowel = char in _VOWELS
        if previous is not None:
            score += _LOG_NEXT[previous, vowel]
        previous = vowel
    return score


def _plausibility(text: str) -> tuple[float, int]:
    """Log-likelihood per non-ASCII character of ``text`` (of a sample of its
    words) as Russian or Western text, higher where more natural; and how
    many non-ASCII characters were looked at."""
    score, count = 0.0, 0
    for word in islice(_words(text), _SAMPLE_WORDS):
        latin = any("a" <= c <= "z" or "A" <= c <= "Z" for c in word)
        if not latin:
            score += _shape(word.lower())
        previous = ""
        for char in word:
            if char < "\x80":
                previous = char
                continue
            count += 1
            if "\u0400" <= char <= "\u04ff":
                if latin:
                    score += _LOG_CYRILLIC_IN_LATIN_WORD
                else:
                    score += _LOG_RU.get(char.lower(), _LOG_OTHER_CYRILLIC)
                    if char.isupper() and previous.islower():
                        score += _LOG_CAPITAL_AFTER_SMALL
            elif char.isalpha():
                score += _LOG_ACCENT_IN_LATIN_WORD if latin else _LOG_ACCENT_WORD
            elif char in _PUNCT:
                score += _LOG_PUNCT
            else:
                score += _LOG_SYMBOL
            previous = char
    return (score / count if count else 0.0), count


def guess_single_byte(body: bytes, declared: list[str] | tuple[str, ...] = ()) -> str | None:
    """The single-byte charset ``body`` reads best in: a declared one unless
    another reads far better. None when no candidate decodes the bytes."""
    scores: dict[str, float] = {}
    evidence = 0
    for name in (*declared, *CANDIDATES):
        if name in scores:
            continue
        try:
            text = body.decode(name)
        except UnicodeDecodeError:
            continue
        scores[name], evidence = _plausibility(text)
    if not scores:
        return None
    best = max(scores, key=lambda name: scores[name])  # first of equals: declared, then CANDIDATES order
    for name in declared:
        if name in scores:
            clearly_better = scores[best] - scores[name] > _OVERRULE_MARGIN
            if evidence < _MIN_EVIDENCE or not clearly_better:
                return name
            break
    return best


def _utf8_counts(body: bytes) -> tuple[str, int, int]:
    """The body read as UTF-8 with replacements, the number of valid
    non-ASCII characters and the number of invalid sequences replaced."""
    text = body.decode("utf-8", errors="replace")
    ascii_count = len(body) - len(body.translate(None, _ASCII))
    invalid = text.count(REPLACEMENT) - body.count(REPLACEMENT.encode())
    valid = len(text) - ascii_count - invalid
    return text, valid, invalid


def _with_utf8_declaration(text: str) -> str:
    return _XML_DECL_TEXT.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)


def decode_feed(body: bytes, content_type: str = "") -> Decoded:
    """The text of a feed body, and what it was read as. The XML declaration
    of the text names UTF-8, so that the text can be handed on as UTF-8."""
    http_label = _http_charset(content_type)
    match = _XML_DECL.match(body[:1024])
    xml_label = match.group(1).decode("ascii") if match else ""
    http_name, xml_name = codec_name(http_label), codec_name(xml_label)
    declared = [n for n in dict.fromkeys((http_name, xml_name)) if n]
    # What counts (RFC 7303): the HTTP charset, else the XML declaration, else UTF-8.
    primary = http_name or xml_name or "utf-8"
    if http_label:
        said = f"declared as {http_label} (HTTP header)"
    elif xml_label:
        said = f"declared as {xml_label} (XML declaration)"
    else:
        said = "declares no charset (so UTF-8)"

    def result(text: str, name: str, replaced: int = 0, *, trusted: bool = False) -> Decoded:
        wrong = "" if trusted or name == primary or body.isascii() else said
        return Decoded(_with_utf8_declaration(text), name, wrong, replaced)

    for bom, name in _BOMS:
        if body.startswith(bom):
            text = body[len(bom) :].decode(name, errors="replace")
            return result(text, name, text.count(REPLACEMENT), trusted=True)
    for marker, name in _WIDE_MARKERS:
        if body.startswith(marker):
            text = body.decode(name, errors="replace")
            return result(text, name, text.count(REPLACEMENT), trusted=True)

    try:
        return result(body.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    # A declared multi-byte charset (GB18030, Shift JIS, ...) that fits.
    for name in declared:
        if name != "utf-8" and not _is_single_byte(name):
            try:
                return result(body.decode(name), name)
            except UnicodeDecodeError:
                continue

    utf8_text, valid, invalid = _utf8_counts(body)
    if valid >= invalid:
        return result(utf8_text, "utf-8", invalid)
    single = [n for n in declared if _is_single_byte(n)]
    name = guess_single_byte(body, single)
    if name is None:
        return result(utf8_text, "utf-8", invalid)
    return result(body.decode(name), name)
