// PetrelCLITests
