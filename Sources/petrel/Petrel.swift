import ArgumentParser

@main
struct Petrel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "petrel",
        abstract: "Petrel: backtest, optimise and run trading bots with exact money.",
        version: "0.1.0",
        subcommands: [
            BacktestCommand.self, OptimizeCommand.self, WalkForwardCommand.self, DataCommand.self,
            StrategiesCommand.self, ConfigCommand.self, BotCommand.self, RunbotCommand.self,
            ServeCommand.self, UserCommand.self, NotifyCommand.self, SymbolsCommand.self, AccountCommand.self,
            FeedCommand.self,
        ])
}
