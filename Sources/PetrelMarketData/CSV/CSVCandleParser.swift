import PetrelCore

/// Candles read from a file, with where each came from.
struct ParsedCandles: Sendable {
    var candles: [Candle]
    var lines: LineMap
    var format: CandleFileFormat
}

/// Reads candle CSV text (canonical, Binance kline or Yahoo Finance) straight from bytes.
///
/// One pass over the buffer finds line ends and commas; fields are parsed in place with
/// `FixedPoint.parse`, so a row costs no allocation. Blank lines are skipped, `\r\n` endings and a
/// UTF-8 byte-order mark are accepted, and a repeat of the header line (files joined with `cat`,
/// multi-member gzip) is skipped.
enum CSVCandleParser {
    /// The most commas recorded per line; longer lines are counted but only reported.
    private static let maxFields = 16

    /// Parses a whole CSV file.
    /// - Parameters:
    ///   - bytes: the decompressed file contents.
    ///   - file: the file name for locations.
    ///   - path: the path for the empty-file error.
    ///   - collector: `nil` for strict mode (throw at the first bad, unsorted, duplicate or impossible
    ///     row); otherwise lenient mode, which records unreadable rows here and skips them.
    /// - Throws: ``MarketDataError`` naming the file and line.
    /// - Complexity: O(n) in the file size; one allocation for the candles.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, file: String, path: String, collector: inout FindingCollector?
    ) throws(MarketDataError) -> ParsedCandles {
        guard let raw = bytes.baseAddress, bytes.count > 0 else { throw .emptyFile(path: path) }
        let text = raw.assumingMemoryBound(to: UInt8.self)
        let end = bytes.count
        var position = end >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF ? 3 : 0
        var lineNumber = 0

        // The first non-blank line tells the format.
        var firstLine: (start: Int, end: Int)?
        while position < end, firstLine == nil {
            let (start, contentEnd, next) = Self.line(in: text, from: position, end: end)
            lineNumber += 1
            position = next
            if contentEnd > start { firstLine = (start, contentEnd) }
        }
        guard let firstLine else { throw .emptyFile(path: path) }
        let firstBytes = UnsafeRawBufferPointer(start: text + firstLine.start, count: firstLine.end - firstLine.start)
        guard let (format, isHeader) = CandleFileFormat.detect(firstLine: firstBytes) else {
            let shown = String(decoding: firstBytes.prefix(120), as: UTF8.self)
            throw .unknownHeader(SourceLocation(file: file, line: lineNumber), header: shown)
        }
        if !isHeader {
            position = firstLine.start
            lineNumber -= 1
        }

        let expectedFields = format.columnNames.count
        let sampleLength = max(firstLine.end - firstLine.start + 1, 16)
        let remaining = end - position
        var candles: [Candle] = []
        candles.reserveCapacity(remaining / sampleLength + remaining / (sampleLength * 8) + 16)
        var lines = LineMap()
        var previous: Int64?
        let strict = collector == nil
        let commas = UnsafeMutablePointer<Int>.allocate(capacity: maxFields)
        defer { commas.deallocate() }

        while position < end {
            let lineStart = position
            var commaCount = 0
            var cursor = position
            while cursor < end {
                let byte = text[cursor]
                if byte == 10 { break }
                if byte == 44 {
                    if commaCount < maxFields { commas[commaCount] = cursor }
                    commaCount += 1
                }
                cursor += 1
            }
            position = cursor + 1
            lineNumber += 1
            var contentEnd = cursor
            if contentEnd > lineStart && text[contentEnd - 1] == 13 { contentEnd -= 1 }
            if contentEnd == lineStart { continue }

            let row = Row(text: text, start: lineStart, end: contentEnd, commas: commas, fieldCount: commaCount + 1)
            let outcome: RowOutcome
            if row.fieldCount != expectedFields {
                outcome = .failure(.columnCount)
            } else if format == .yahoo {
                outcome = row.yahooCandle()
            } else {
                outcome = row.numericCandle()
            }
            switch outcome {
            case .candle(let candle):
                if strict,
                    let error = StrictValidation.violation(
                        candle, previous: previous, at: SourceLocation(file: file, line: lineNumber))
                {
                    throw error
                }
                lines.note(index: candles.count, line: lineNumber)
                candles.append(candle)
                previous = candle.timestamp
            case .failure(let failure):
                if isHeader, row.isSame(asLine: firstBytes) { continue }  // files joined with `cat`
                let location = SourceLocation(file: file, line: lineNumber)
                if failure == .nullRow {
                    collector?.add(
                        DataQualityFinding(
                            location: location, problem: .skipped(reason: "Yahoo row with null values skipped")))
                    continue
                }
                let error = row.error(failure, format: format, at: location)
                guard collector != nil else { throw error }
                collector?.add(DataQualityFinding(location: location, problem: .malformed(reason: error.detail)))
            }
        }
        return ParsedCandles(candles: candles, lines: lines, format: format)
    }

    /// The line starting at `position`: its start, its end without `\r`, and where the next begins.
    private static func line(in text: UnsafePointer<UInt8>, from position: Int, end: Int)
        -> (start: Int, contentEnd: Int, next: Int)
    {
        var cursor = position
        while cursor < end && text[cursor] != 10 { cursor += 1 }
        var contentEnd = cursor
        if contentEnd > position && text[contentEnd - 1] == 13 { contentEnd -= 1 }
        return (position, contentEnd, cursor + 1)
    }
}
