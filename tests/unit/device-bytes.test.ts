/**
 * The peers' device-byte accounting (src/bench/peers/device-bytes.ts) on a fake device:
 * live bytes follow create and destroy (a second destroy counts once), and a mark's
 * peak is the most held at once since it, minus what was held at the mark.
 */
import { describe, expect, it } from 'vitest';
import { trackDeviceBytes } from '../../src/bench/peers/device-bytes';

function fakeDevice(): GPUDevice {
  const device = {
    createBuffer: (d: GPUBufferDescriptor) => ({
      size: d.size,
      destroyed: 0,
      destroy() {
        this.destroyed += 1;
      },
    }),
  };
  return device as unknown as GPUDevice;
}

describe('trackDeviceBytes', () => {
  it('counts live bytes and the peak since a mark, without double-counting a repeated destroy', () => {
    const device = fakeDevice();
    const held = trackDeviceBytes(device);
    expect(trackDeviceBytes(device)).toBe(held); // installed once
    const leftover = device.createBuffer({ size: 100, usage: 0 });
    const mark = held.mark();
    const a = device.createBuffer({ size: 1000, usage: 0 });
    const b = device.createBuffer({ size: 500, usage: 0 });
    expect(held.live()).toBe(1600);
    b.destroy();
    b.destroy();
    expect(held.live()).toBe(1100);
    device.createBuffer({ size: 200, usage: 0 });
    expect(held.peakSince(mark)).toBe(1500); // 1000 + 500 at once, the leftover excluded
    a.destroy();
    leftover.destroy();
    expect(held.live()).toBe(200);
    const next = held.mark();
    expect(held.peakSince(next)).toBe(0);
    expect(() => held.peakSince(mark)).toThrow(/newer mark/);
  });
});
