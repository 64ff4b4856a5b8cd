extension Array {
    /// `withUnsafeBytes` for a body that throws ``MarketDataError`` (the standard one only rethrows
    /// untyped errors).
    @inline(__always)
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws(MarketDataError) -> Result)
        throws(MarketDataError) -> Result
    {
        try withUnsafeBytes { raw in Swift.Result { () throws(MarketDataError) in try body(raw) } }.get()
    }
}
