import NIOCore
import Testing

@testable import DudaoStore

/// PostgreSQL `COPY … FROM STDIN` text format as `BulkInsert` writes it, byte for byte
/// (expected lines written by hand from the format's rules: tab between cells, `\N` for NULL,
/// backslash, tab, line feed and carriage return escaped with a backslash).
@Suite("COPY text")
struct CopyTextTests {
    func line(_ row: [BulkInsert.Cell]) -> String {
        var buffer = ByteBuffer()
        BulkInsert.appendCopyLine(row, to: &buffer)
        return String(buffer: buffer)
    }

    @Test func numbersAreWrittenInTheirShortestExactForm() {
        #expect(line([.integer(0), .integer(-42), .integer(Int.max)]) == "0\t-42\t9223372036854775807\n")
        #expect(line([.double(2024), .double(-3), .double(-0.0), .double(500.25), .double(0.1)]) == "2024\t-3\t0\t500.25\t0.1\n")
        // Past 15 digits a whole number is written as Swift describes it (exact, reads back).
        #expect(line([.double(1e15), .double(123_456_789_012_345)]) == "1000000000000000.0\t123456789012345\n")
        #expect(line([.double(nil), .double(.infinity), .textOrNull(nil), .boolean(true), .boolean(false)]) == "\\N\t\\N\t\\N\tt\tf\n")
    }

    @Test func textIsEscapedWhereTheFormatNeedsIt() {
        #expect(line([.text("第一小学"), .text("")]) == "第一小学\t\n")
        #expect(line([.text("a\\b\tc\nd\re")]) == "a\\\\b\\tc\\nd\\re\n")
        #expect(line([.textOrNull("\"引号\"")]) == "\"引号\"\n")
    }
}
