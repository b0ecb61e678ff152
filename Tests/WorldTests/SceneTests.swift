import Testing

@testable import World

@Test func scenesKeepEveryObjectMostlyVisibleAndInside() {
  for scene in smokeLayout.scenes {
    #expect(scene.objects.count >= 3)
    for o in scene.objects {
      #expect(o.visible >= 0.6)
      #expect(
        o.box.x1 >= 0 && o.box.y1 >= 0 && o.box.x2 <= Float(Scene.size) && o.box.y2 <= Float(Scene.size))
    }
  }
}

@Test func sceneKindsMatchTheirFamilies() {
  for image in smokeLayout.images where image.dataset == .refcoco {
    switch image.split {
    case .testA: #expect(image.objects.filter { $0.category.isPerson }.count >= 2)
    case .testB: #expect(image.objects.allSatisfy { !$0.category.isPerson })
    default: break
    }
  }
}

@Test func renderingIsDeterministicAndShowsTheObjects() {
  let scene = smokeLayout.scenes[0]
  let a = scene.render()
  #expect(a == scene.render())
  #expect(a.pixels.count == Scene.size * Scene.size * 3)
  // A pixel inside a visible plain object is near its colour (up to lighting, jitter and noise).
  var s = scene
  s.objects = [
    SceneObject(
      category: .box, colour: .red, texture: .plain, size: .large, box: Box(x1: 10, y1: 10, x2: 30, y2: 30),
      visible: 1)
  ]
  s.light = 1
  let img = s.render()
  let p = (20 * Scene.size + 20) * 3
  #expect(img.pixels[p] > 170 && img.pixels[p + 1] < 90 && img.pixels[p + 2] < 90)
}

@Test func patchResamplesTheBoxChannelMajor() {
  var pixels = [UInt8](repeating: 0, count: 48 * 48 * 3)
  for y in 0..<48 { for x in 24..<48 { pixels[(y * 48 + x) * 3 + 2] = 255 } }  // right half blue
  let image = Image(width: 48, height: 48, pixels: pixels)
  let patch = image.patch(Box(x1: 0, y1: 0, x2: 48, y2: 48))
  #expect(patch.count == Patch.length)
  let side = Patch.side
  #expect(patch[2 * side * side + 0] == 0)  // blue channel, left column
  #expect(patch[2 * side * side + side - 1] == 255)  // blue channel, right column
  #expect(patch[0..<(side * side)].allSatisfy { $0 == 0 })  // red channel empty
}

@Test func iouOfBoxes() {
  let a = Box(x1: 0, y1: 0, x2: 10, y2: 10)
  #expect(a.iou(a) == 1)
  #expect(a.iou(Box(x1: 5, y1: 0, x2: 15, y2: 10)) == Float(50) / 150)
  #expect(a.iou(Box(x1: 20, y1: 20, x2: 30, y2: 30)) == 0)
}
