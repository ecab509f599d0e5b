"""품질·신뢰도 모델 Quality and reliability models: the shipped datasets, the workbench, GLM and Weibull fits."""
