/// The bot a new database starts with, so a newcomer sees a bot trade within a minute: an EMA crossover
/// on the built-in simulated market (clearly not real prices), one 15-minute candle per second.
enum DemoBot {
    static let id = "demo"
    static let name = "Demo (simulated market)"
    static let config = """
        {
            "description": "Demo: EMA crossover on the built-in SIMULATED market (not real prices), one 15-minute candle per second",
            "version": "1.0",
            "broker": {"type": "paper", "initial_balance": 10000.0, "commission": 0.001},
            "trading": {"symbol": "BTCUSDT", "position_size": 0.5, "max_positions": 1, "max_drawdown_pct": 20.0},
            "data": {"data_source": "simulated", "symbol": "BTCUSDT", "interval": "15m", "lookback_bars": 60,
                     "retry_interval": 5, "speed": 900},
            "strategy": {"type": "ma_crossover", "params": {"fast_period": 5, "slow_period": 15, "ma_type": "ema"}},
            "risk_management": {"stop_loss_pct": 2.0, "take_profit_pct": 4.0, "max_daily_trades": 50},
            "logging": {"level": "INFO", "save_trades": true, "save_equity_curve": true}
        }
        """
}
