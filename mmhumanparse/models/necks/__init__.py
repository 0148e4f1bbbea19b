from .gse_fpn import GSEFPN, GSESemanticHead

__all__ = ['GSEFPN', 'GSESemanticHead']
