// PetrelAnalyticsTests
