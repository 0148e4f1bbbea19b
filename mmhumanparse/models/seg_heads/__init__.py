from .gse_semantic_head import GSESemanticHead

__all__ = ['GSESemanticHead']
