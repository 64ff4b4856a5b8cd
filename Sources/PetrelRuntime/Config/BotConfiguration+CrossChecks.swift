import PetrelCore

extension BotConfiguration {
    /// The credentials each live broker needs when no stored `account` is named.
    static func requiredCredentials(_ type: BrokerType) -> [String] {
        switch type {
        case .binance: return ["api_key", "api_secret"]
        case .okx: return ["api_key", "api_secret", "passphrase"]
        case .uphold: return ["token"]
        case .ibkr, .binancePaper, .paper, .mock: return []
        }
    }

    /// Credential keys a broker type can use at all.
    static func usableCredentials(_ type: BrokerType) -> [String] {
        switch type {
        case .binance, .binancePaper: return ["api_key", "api_secret"]
        case .okx: return ["api_key", "api_secret", "passphrase"]
        case .uphold: return ["token"]
        case .ibkr, .paper, .mock: return []
        }
    }

    /// A live broker needs a stored exchange account or a complete set of `${ENV_VAR}` keys, not both;
    /// keys a venue does not use are refused rather than ignored.
    static func checkCredentials(_ r: inout ConfigReader, _ broker: Broker, _ o: [String: JSONValue]) {
        let p = "$.broker"
        let present = ["api_key", "api_secret", "passphrase", "token"].filter { o[$0].map { $0 != .null } == true }
        let usable = usableCredentials(broker.type)
        for key in present where !usable.contains(key) {
            let users =
                ["api_key", "api_secret"].contains(key)
                ? "binance, binance_paper and okx brokers use it"
                : key == "passphrase" ? "okx uses it" : "uphold uses it"
            r.fail("\(p).\(key)", "is not used by the '\(broker.type.rawValue)' broker (only \(users))")
        }
        let keys = present.filter(usable.contains)
        if broker.account != nil {
            if let first = keys.first {
                r.fail(
                    "\(p).\(first)",
                    "conflicts with $.broker.account: use a stored exchange account or ${ENV_VAR} keys, not both")
            }
            return
        }
        let required = requiredCredentials(broker.type)
        if keys.isEmpty, !required.isEmpty {
            r.fail(
                p,
                "a live '\(broker.type.rawValue)' broker needs credentials: \"account\" (a stored exchange account) or \(required.joined(separator: ", ")) as ${ENV_VAR} references"
            )
            return
        }
        let missing = keys.isEmpty ? [] : required.filter { !keys.contains($0) }
        for key in missing {
            r.fail(
                "\(p).\(key)",
                "is missing: the '\(broker.type.rawValue)' broker needs \(required.joined(separator: ", ")) together (or an account)"
            )
        }
    }

    /// Cross-section rules: the data feed trades the configured symbol, and a live broker trades on
    /// signals from its own venue's prices.
    ///
    /// Paper brokers (`binance_paper`, `paper`, `mock`) fill against whatever feed the bot has, so
    /// they accept every source (a Yahoo feed with a paper broker is a valid rehearsal). A live
    /// broker must use its venue's feed: a `binance` broker with `yahoo` candles would trade real
    /// money on prices the order never sees, and replayed or simulated candles would trade it on
    /// prices that do not exist.
    static func checkMarket(_ r: inout ConfigReader, broker: Broker?, trading: Trading?, data: DataSettings?) {
        if let trading, let data, trading.symbol != data.symbol {
            r.fail(
                "$.data.symbol",
                "'\(data.symbol.venueSpelling(.concatenated))' differs from $.trading.symbol '\(trading.symbol.venueSpelling(.concatenated))'"
            )
        }
        if let broker, let trading, trading.symbol.kind != .perpetual {
            for (key, set) in [("leverage", broker.leverage != nil), ("margin_mode", broker.marginMode != nil)]
            where set {
                r.fail(
                    "$.broker.\(key)",
                    "applies to perpetual swaps only (\"symbol\": \"\(trading.symbol.base)-\(trading.symbol.quote)-SWAP\"); '\(trading.symbol.venueSpelling(.concatenated))' is spot"
                )
            }
        }
        guard let broker, let data, broker.type.isLive else { return }
        let venue: DataSource
        switch broker.type {
        case .binance: venue = .binance
        case .okx: venue = .okx
        case .ibkr: venue = .ibkr
        default: return
        }
        if data.dataSource != venue {
            r.fail(
                "$.data.data_source",
                "'\(data.dataSource.rawValue)' cannot drive a live '\(broker.type.rawValue)' broker: live trading needs the venue's own prices (\"data_source\": \"\(venue.rawValue)\"); paper brokers (binance_paper, paper, mock) accept any source"
            )
        }
    }
}
