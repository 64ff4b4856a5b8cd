// PetrelStrategiesTests
