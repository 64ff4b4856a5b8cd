// PetrelExchangesTests
