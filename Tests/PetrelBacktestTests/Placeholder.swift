// PetrelBacktestTests
