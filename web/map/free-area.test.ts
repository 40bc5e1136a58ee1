import { describe, expect, it } from 'vitest';
import { freeInsets, overlaps, type ScreenRect } from './free-area.ts';

const rect = (left: number, top: number, right: number, bottom: number): ScreenRect => ({ left, top, right, bottom });

/** The free rectangle the insets leave in a `width` × `height` map. */
const freeRect = (width: number, height: number, insets: ReturnType<typeof freeInsets>) =>
  rect(insets.left, insets.top, width - insets.right, height - insets.bottom);

describe('freeInsets', () => {
  it('leaves the whole map when nothing covers it, or only what lies outside it', () => {
    expect(freeInsets(1920, 1080, [])).toEqual({ top: 0, right: 0, bottom: 0, left: 0 });
    expect(freeInsets(1920, 1080, [rect(-300, 0, -10, 1080), rect(0, 0, 0, 0)])).toEqual({
      top: 0,
      right: 0,
      bottom: 0,
      left: 0,
    });
  });

  it('pushes the header up, the left column left and the area panel right (the wall screen)', () => {
    const obstacles = [
      rect(0, 0, 1920, 97),
      rect(18, 91, 479, 377),
      rect(18, 391, 504, 452),
      rect(18, 466, 479, 618),
      rect(1422, 91, 1902, 695),
    ];
    expect(freeInsets(1920, 1080, obstacles, 1.2)).toEqual({ top: 97, right: 498, bottom: 0, left: 504 });
  });

  it('takes a folded legend in the corner off the bottom, not off the side', () => {
    const wall = [rect(0, 0, 1920, 97), rect(18, 91, 504, 618), rect(1422, 91, 1902, 695)];
    const insets = freeInsets(1920, 1080, [...wall, rect(1261, 988, 1345, 1040)], 1.2);
    expect(insets).toEqual({ top: 97, right: 498, bottom: 92, left: 504 });
  });

  it('puts a phone’s bottom sheet below and the header above', () => {
    const insets = freeInsets(375, 740, [rect(0, 0, 375, 60), rect(8, 62, 360, 100), rect(0, 355, 375, 740)]);
    expect(insets).toEqual({ top: 100, right: 0, bottom: 385, left: 0 });
  });

  it('prefers the side that lets a wide target be drawn larger', () => {
    // A square card in the corner: aside for a tall target, above for a wide one.
    const card = rect(0, 0, 300, 300);
    expect(freeInsets(1000, 1000, [card], 0.3)).toEqual({ top: 0, right: 0, bottom: 0, left: 300 });
    expect(freeInsets(1000, 1000, [card], 3)).toEqual({ top: 300, right: 0, bottom: 0, left: 0 });
    expect(freeInsets(1000, 1000, [rect(0, 0, 300, 1000)], 3)).toEqual({ top: 0, right: 0, bottom: 0, left: 300 });
  });

  it('leaves no obstacle inside the free rectangle, however many there are', () => {
    const obstacles = Array.from({ length: 12 }, (_, index) =>
      rect(index * 80, (index % 3) * 200, index * 80 + 60, (index % 3) * 200 + 120),
    );
    for (const count of [3, 8, 12]) {
      const some = obstacles.slice(0, count);
      const free = freeRect(1000, 800, freeInsets(1000, 800, some));
      for (const obstacle of some) expect(overlaps(free, obstacle)).toBe(false);
    }
  });
});

describe('overlaps', () => {
  it.each([
    [rect(0, 0, 10, 10), rect(5, 5, 15, 15), true],
    [rect(0, 0, 10, 10), rect(10, 0, 20, 10), false],
    [rect(0, 0, 10, 10), rect(10.4, 0, 20, 10), false],
    [rect(0, 0, 10, 10), rect(0, 20, 10, 30), false],
  ])('%o and %o: %s', (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
  });
});
