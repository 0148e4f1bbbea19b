from .lipnet import LIPNet
from .resnet_stem import ResNetV1cWithStem

__all__ = ['LIPNet', 'ResNetV1cWithStem']
