from .c_dlinknet_head import CDLinkNetHead
from .htcorrm_head import HTCorrMHead
from .lipnet_head import LIPNetHead
from .ss_nan_head import (AverageAggregation, MaxAggregation,
                          NeuralAggregation, SSNANHead)

__all__ = ['CDLinkNetHead', 'LIPNetHead', 'HTCorrMHead', 'SSNANHead',
           'NeuralAggregation', 'AverageAggregation', 'MaxAggregation']
