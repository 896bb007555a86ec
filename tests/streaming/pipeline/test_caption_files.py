"""Caption files staff upload: WebVTT checked, SRT converted, broken lines named."""

import pytest
from django.utils.translation import override

from streaming.pipeline.captions import CaptionError, parse, to_webvtt, transcript

SRT = (
    "1\r\n00:00:01,000 --> 00:00:03,500\r\n<i>Nosta kädet</i> ylös.\r\n\r\n"
    "2\r\n00:00:04,000 --> 00:00:06,000\r\nJa alas.\r\n"
)


def test_srt_becomes_webvtt_with_dotted_timestamps():
    vtt = to_webvtt(parse(SRT.encode()))
    assert vtt.startswith("WEBVTT\n\n00:00:01.000 --> 00:00:03.500\n<i>Nosta kädet</i> ylös.\n")
    assert "00:00:04.000 --> 00:00:06.000\nJa alas." in vtt
    assert parse(vtt) == parse(SRT)


def test_webvtt_with_header_lines_notes_and_cue_settings():
    vtt = (
        "WEBVTT - Tuolijumppa\nKind: captions\nLanguage: fi\n\n"
        "NOTE made by hand\n\nintro\n00:01.000 --> 00:02.000 align:start\nHei!\n"
    )
    (cue,) = parse(vtt)
    assert (cue.start, cue.end, cue.text) == (1.0, 2.0, "Hei!")


@pytest.mark.parametrize(
    "data",
    [SRT.encode("utf-16"), SRT.encode("cp1252", errors="strict"), ("\ufeff" + SRT).encode()],
)
def test_common_encodings_are_read(data):
    assert parse(data)[0].text == "<i>Nosta kädet</i> ylös."


def test_transcript_is_plain_text_without_tags_or_repeats():
    cues = parse(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ohjaaja>Hengitä &amp; rentoudu</v>\n\n"
        "00:02.000 --> 00:03.000\n<v Ohjaaja>Hengitä &amp; rentoudu</v>\n\n"
        "00:03.000 --> 00:04.000\nKiitos\nkun olit mukana.\n"
    )
    assert transcript(cues) == "Hengitä & rentoudu\nKiitos kun olit mukana."


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("1\n00:00:01,000 -> 00:00:02,000\nHei\n", 2),  # arrow typo
        ("1\n00:00:01,000 --> 00:00:02,000\nHei\n\nkaksi\n00:00:03,000 --> 00:00:04,000\nx\n", 5),
        ("1\n00:00:05,000 --> 00:00:02,000\nHei\n", 2),  # ends before it starts
        ("1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nx\n", 2),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:61.000 --> 00:62.000\nbad\n", 6),
        ("WEBVTTX\n\n00:01.000 --> 00:02.000\nok\n", 1),
        ("", 1),
    ],
)
def test_broken_files_name_the_wrong_line(text, line):
    with pytest.raises(CaptionError) as error:
        parse(text)
    assert error.value.line == line
    with override("en"):  # the project's own language is Finnish
        message = str(error.value.user_message())
    assert message.startswith(f"Line {line}: ")
    assert len(message) > len(f"Line {line}: ") + 10  # a reason staff can act on


def test_binary_file_is_not_captions():
    with pytest.raises(CaptionError) as error:
        parse(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)))
    with override("en"):
        assert str(error.value.message) == "The file is not text."
