"""Toy data, part 4: outfits (role -> class label) sampled per person so
that every class of a dataset shows up within a few persons (see
:mod:`mmhumanparse.testing.toy_data`)."""
from typing import Sequence

import numpy as np

from mmhumanparse.datasets.metainfo import DATASET_METAINFO

CLASSES = {name: meta['classes'] for name, meta in DATASET_METAINFO.items()}


class Deck:
    """Draw options in shuffled rounds so each appears once per round."""

    def __init__(self, rng: np.random.Generator, options: Sequence):
        self.rng, self.options, self.queue = rng, list(options), []

    def draw(self):
        if not self.queue:
            self.queue = list(self.rng.permutation(len(self.options)))
        return self.options[self.queue.pop()]


class OutfitSampler:
    """Samples outfits (role -> label dicts) for one dataset."""

    def __init__(self, dataset: str, rng: np.random.Generator):
        self.dataset = dataset
        self.rng = rng
        self.c = {n: i for i, n in enumerate(CLASSES[dataset])}
        c = self.c
        d = lambda opts: Deck(rng, opts)  # noqa: E731
        if dataset == 'ppp':
            return
        if dataset == 'mhp':
            self.head = d([('', 0), ('cap', c['cap/hat']),
                           ('helmet', c['helmet']),
                           ('band', c['headwear'])])
            self.eyes = d([('', 0), ('band', c['sunglasses']),
                           ('lenses', c['eyewear'])])
            tops = ['jacket/windbreaker/hoodie', 't-shirt', 'polo-shirt',
                    'sweater', 'singlet', 'other-upper-body-clothes']
            self.outfit = d(
                [('top', c[t]) for t in tops] +
                [('bikini', 0), ('bare', 0)] +
                [('full', c[n], k) for n, k in
                 (('coat', 'coat'), ('dress', 'dress'), ('robe', 'robe'),
                  ('jumpsuit', 'jumpsuit'),
                  ('other-full-body-clothes', 'romper'))])
            self.bottom = d([(c['pants'], 'pants'),
                             (c['shorts/swim-shorts'], 'shorts'),
                             (c['skirt'], 'skirt'),
                             (c['other-lower-body-clothes'], 'capri')])
            self.shoe = d([('boot', 'left-boot'), ('shoe', 'left-shoe'),
                           ('heel', 'left-highheel'),
                           ('sandal', 'left-sandal'), ('', 'left-foot')])
            self.cover = d([('', 0), ('stockings', c['stockings']),
                            ('socks', c['socks'])])
            self.hands = d([0, 0, c['glove']])
            self.wrist = d([0, c['watch'], c['wristband']])
            self.protector = d([0, 0, c['protector']])
            self.acc = d(['backpack', 'ball', 'bats', 'belt', 'bottle',
                          'carrybag', 'cases', 'scarf', 'umbrella',
                          'wallet/purse', 'tie', 'other-accessary'])
            return
        # LIP / ATR / CIHP
        self.head = d([('', 0), ('', 0), ('cap', c['hat'])])
        self.eyes = d([0, 0, c['sunglasses']])
        # upper: what covers the torso; lower: drawn unless upper is 'full'.
        # Small decks so every class shows up within a few persons.
        uppers = [('top', 0), ('full', c['dress'])]
        if 'coat' in c:
            uppers.append(('coat', c['coat']))
        if 'jumpsuits' in c:
            uppers.append(('full', c['jumpsuits']))
        if 'torso-skin' in c:
            uppers += [('bare', c['torso-skin']), ('top_v', c['torso-skin'])]
        self.upper = d(uppers)
        self.lower = d(['pants', 'skirt'])
        self.hands = d([0, 0, c.get('glove', 0)])
        self.socks = d([0, c.get('socks', 0)])
        self.scarf = d([0, 0, c['scarf']])
        self.belt = d([0, c.get('belt', 0)])
        self.bag = d([0, c.get('bag', 0)])

    def sample(self) -> dict:
        rng, c = self.rng, self.c
        if self.dataset == 'ppp':
            return self._ppp()
        o = dict(hair=c['hair'], face=c['face'], neck=c['face'],
                 hair_long=bool(rng.random() < 0.4),
                 sleeve=int(rng.integers(0, 3)))
        kind, label = self.head.draw()
        o.update(headtop_kind=kind, headtop=label)
        if self.dataset == 'mhp':
            return self._mhp(o)
        o['eyes'] = self.eyes.draw()
        arm = dict(l=c['left-arm'], r=c['right-arm'])
        leg = dict(l=c['left-leg'], r=c['right-leg'])
        glove = self.hands.draw()
        for s in 'lr':
            o.update({f'{s}_uarm': arm[s], f'{s}_farm': arm[s],
                      f'{s}_hand': glove or arm[s], f'{s}_thigh': leg[s],
                      f'{s}_shin': leg[s],
                      f'{s}_shoe': c[f'{"left" if s == "l" else "right"}'
                                     f'-shoe']})
        kind, label = self.upper.draw()
        if kind == 'full':
            o.update(full=label, top=label,
                     full_kind='dress' if label == c['dress'] else 'jumpsuit')
        else:
            o['top'] = c['upper-clothes']
            if kind == 'bare':
                o.update(top=label, sleeve=0)
            elif kind == 'top_v':
                o['neck_skin'] = label
            elif kind == 'coat':
                o.update(full=label, full_kind='coat', sleeve=2,
                         sleeve_label=label)
            low = self.lower.draw()
            if low == 'skirt':
                o.update(bottom=c['skirt'], bottom_kind='skirt',
                         skirt_len=rng.uniform(0.62, 0.74))
            else:
                o.update(bottom=c['pants'],
                         bottom_kind=('pants', 'capri',
                                      'shorts')[int(rng.integers(3))])
        socks = self.socks.draw()
        if socks:
            o.update(leg_cover=socks, leg_cover_kind='socks')
        o['scarf'] = self.scarf.draw()
        o['belt'] = self.belt.draw()
        bag = self.bag.draw()
        if bag:
            o.update(shoulder_bag=bag, bag_side=float(rng.choice([-1, 1])))
        return o

    def _ppp(self) -> dict:
        c = self.c
        o = dict(hair=c['head'], face=c['head'], neck=c['head'],
                 hair_long=bool(self.rng.random() < 0.3), top=c['torso'],
                 torso_bottom=0.56)
        for s in 'lr':
            o.update({f'{s}_uarm': c['upper-arms'],
                      f'{s}_farm': c['lower-arms'],
                      f'{s}_hand': c['lower-arms'],
                      f'{s}_thigh': c['upper-legs'],
                      f'{s}_shin': c['lower-legs'],
                      f'{s}_foot': c['lower-legs']})
        return o

    def _mhp(self, o: dict) -> dict:
        rng, c = self.rng, self.c
        o['eyes_kind'], o['eyes'] = self.eyes.draw()
        glove = self.hands.draw()
        for s, side in (('l', 'left'), ('r', 'right')):
            o.update({f'{s}_uarm': c[f'{side}-arm'],
                      f'{s}_farm': c[f'{side}-arm'],
                      f'{s}_hand': glove or c[f'{side}-hand'],
                      f'{s}_thigh': c[f'{side}-leg'],
                      f'{s}_shin': c[f'{side}-leg'],
                      f'{s}_foot': c[f'{side}-foot']})
        kind, left_name = self.shoe.draw()
        if kind:
            right_name = left_name.replace('left', 'right')
            o.update(l_shoe=c[left_name], r_shoe=c[right_name],
                     shoe_kind=kind)
        cover_kind, cover = self.cover.draw()
        o.update(leg_cover=cover, leg_cover_kind=cover_kind)
        w = self.wrist.draw()
        o.update(wrist=w, wrist_side=float(rng.choice([-1, 1])))
        o.update(protector=self.protector.draw(),
                 protector_side=float(rng.choice([-1, 1])))
        entry = self.outfit.draw()
        if entry[0] == 'full':
            _, label, fk = entry
            o.update(full=label, full_kind=fk, top=label,
                     sleeve_label=label)
            if fk == 'coat':
                o.update(top=c['t-shirt'], sleeve=2)
            if fk in ('coat', 'dress', 'robe'):
                b, bk = self.bottom.draw()
                if fk == 'coat' or bk in ('pants', 'capri'):
                    o.update(bottom=b, bottom_kind=bk, skirt_len=0.68)
        else:
            if entry[0] == 'top':
                o['top'] = entry[1]
                if entry[1] == c['singlet']:
                    o.update(sleeve=0, neck_skin=c['torso-skin'])
            elif entry[0] == 'bikini':
                o.update(top=c['torso-skin'], bra=c['bikini/bra'], sleeve=0)
            else:
                o.update(top=c['torso-skin'], sleeve=0)
            b, bk = self.bottom.draw()
            o.update(bottom=b, bottom_kind=bk,
                     skirt_len=rng.uniform(0.62, 0.74))
        held = []
        for _ in range(1 + int(rng.random() < 0.5)):
            name = self.acc.draw()
            label = c[name]
            sign = float(rng.choice([-1, 1]))
            if name == 'backpack':
                o.update(backpack=label, backpack_side=sign)
            elif name == 'belt':
                o['belt'] = label
            elif name == 'scarf':
                o['scarf'] = label
            elif name == 'tie':
                o['tie'] = label
            elif name == 'other-accessary':
                o['pendant'] = label
            else:
                kind = dict(ball='ball', bats='bat', bottle='bottle',
                            carrybag='bag', cases='case', umbrella='umbrella')
                held.append((label, kind.get(name, 'purse'), sign))
        o['held'] = held
        return o
