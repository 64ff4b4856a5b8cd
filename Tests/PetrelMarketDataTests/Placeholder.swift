// PetrelMarketDataTests
