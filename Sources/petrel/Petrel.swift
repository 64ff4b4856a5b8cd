import ArgumentParser

@main
struct Petrel: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "petrel", abstract: "Petrel trading platform")
}
