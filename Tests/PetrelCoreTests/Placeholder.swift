// PetrelCoreTests
