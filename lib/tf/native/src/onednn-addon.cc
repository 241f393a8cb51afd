// oneDNN primitives on memory TensorFlow.js already holds (the wasm backend's heap, or any typed array): every call
// takes the heap and byte offsets into it, so tensors are read and written in place. Primitives are built once per
// shape and kept; the implementation oneDNN picked for each is recorded so the trainer can print it.
#include <napi.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

using namespace dnnl;
using dims = memory::dims;
using dt = memory::data_type;

namespace {

engine& cpuEngine() {
  static engine eng(engine::kind::cpu, 0);
  return eng;
}
stream& cpuStream() {
  static stream s(cpuEngine());
  return s;
}

std::map<std::string, std::set<std::string>> implementations;  // primitive kind -> impl names seen

void recordImpl(const std::string& kind, const std::string& impl) { implementations[kind].insert(impl); }

// Heap base pointer: a Uint8Array/Float32Array (also over a SharedArrayBuffer) or an ArrayBuffer.
uint8_t* heapBase(const Napi::Value& value) {
  napi_env env = value.Env();
  if (value.IsTypedArray()) {
    void* data = nullptr;
    size_t length = 0;
    napi_typedarray_type type;
    napi_value buffer;
    size_t offset = 0;
    NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &offset), nullptr);
    return static_cast<uint8_t*>(data);
  }
  if (value.IsArrayBuffer()) return static_cast<uint8_t*>(value.As<Napi::ArrayBuffer>().Data());
  throw Napi::TypeError::New(env, "expected the heap as a typed array or ArrayBuffer");
}

float* at(uint8_t* base, const Napi::Value& offset) {
  return reinterpret_cast<float*>(base + static_cast<size_t>(offset.As<Napi::Number>().Int64Value()));
}

std::vector<int64_t> intArray(const Napi::Value& value) {
  auto array = value.As<Napi::Array>();
  std::vector<int64_t> out(array.Length());
  for (uint32_t i = 0; i < array.Length(); i++) out[i] = array.Get(i).As<Napi::Number>().Int64Value();
  return out;
}

std::string keyOf(const char* kind, const std::vector<int64_t>& p) {
  std::ostringstream key;
  key << kind;
  for (auto v : p) key << ',' << v;
  return key.str();
}

// NHWC activations of logical dims {N, C, H, W}.
memory::desc nhwc(int64_t n, int64_t c, int64_t h, int64_t w) {
  return memory::desc({n, c, h, w}, dt::f32, dims{h * w * c, 1, w * c, c});
}

// ---------------------------------------------------------------------------------------------------- convolution
// p = [N, C, H, W, O, KH, KW, OH, OW, strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight,
//      groups (1, or C for depthwise with O = C * multiplier),
//      activation (0 none, 1 relu, 2 relu6, 3 elu, 4 sigmoid, 5 swish)]
// Weights as TF.js holds them: [KH, KW, C, O] (plain) or [KH, KW, C, multiplier] (depthwise).
struct ConvShape {
  int64_t N, C, H, W, O, KH, KW, OH, OW, SH, SW, DH, DW, PT, PL, PB, PR, G, act;
  explicit ConvShape(const std::vector<int64_t>& p)
      : N(p[0]), C(p[1]), H(p[2]), W(p[3]), O(p[4]), KH(p[5]), KW(p[6]), OH(p[7]), OW(p[8]), SH(p[9]), SW(p[10]),
        DH(p[11]), DW(p[12]), PT(p[13]), PL(p[14]), PB(p[15]), PR(p[16]), G(p[17]), act(p.size() > 18 ? p[18] : 0) {}
  memory::desc src() const { return nhwc(N, C, H, W); }
  memory::desc dst() const { return nhwc(N, O, OH, OW); }
  memory::desc userWeights() const {
    if (G == 1) return memory::desc({O, C, KH, KW}, dt::f32, dims{1, O, KW * C * O, C * O});
    const int64_t M = O / G;  // depthwise: one input channel per group, M outputs each
    return memory::desc({G, M, 1, KH, KW}, dt::f32, dims{M, 1, 1, KW * C * M, C * M});
  }
  memory::desc anyWeights() const {
    if (G == 1) return memory::desc({O, C, KH, KW}, dt::f32, memory::format_tag::any);
    return memory::desc({G, O / G, 1, KH, KW}, dt::f32, memory::format_tag::any);
  }
  dims strides() const { return {SH, SW}; }
  dims dilations() const { return {DH - 1, DW - 1}; }
  dims padL() const { return {PT, PL}; }
  dims padR() const { return {PB, PR}; }
  convolution_forward::desc forwardDesc(prop_kind kind, bool bias) const {
    auto biasMd = bias ? memory::desc({O}, dt::f32, memory::format_tag::a) : memory::desc();
    return convolution_forward::desc(kind, algorithm::convolution_direct, src(), anyWeights(), biasMd, dst(),
                                     strides(), dilations(), padL(), padR());
  }
};

primitive_attr activationAttr(int64_t act) {
  primitive_attr attr;
  post_ops ops;
  switch (act) {
    case 0: break;
    case 1: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
    case 2: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;
    case 3: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case 4: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
    case 5: ops.append_eltwise(1.f, algorithm::eltwise_swish, 1.f, 0.f); break;
    default: throw std::runtime_error("unsupported fused activation");
  }
  attr.set_post_ops(ops);
  return attr;
}

// Weights in the primitive's preferred layout, reordered from (or to) TF.js's layout on every call.
struct WeightsLayout {
  memory::desc user, prim;
  bool needsReorder = false;
  std::unique_ptr<memory> buffer;
  std::unique_ptr<reorder> toPrim, toUser;
  void init(const memory::desc& userMd, const memory::desc& primMd, bool toUserDirection) {
    user = userMd;
    prim = primMd;
    needsReorder = userMd != primMd;
    if (!needsReorder) return;
    buffer = std::make_unique<memory>(primMd, cpuEngine());
    memory userProbe(userMd, cpuEngine(), nullptr);
    if (toUserDirection) toUser = std::make_unique<reorder>(*buffer, userProbe);
    else toPrim = std::make_unique<reorder>(userProbe, *buffer);
  }
  // Weights the primitive reads: TF.js's own, or reordered (converted to bf16) into the buffer.
  memory read(stream& strm, float* data) {
    memory user(this->user, cpuEngine(), data);
    if (!needsReorder) return user;
    toPrim->execute(strm, user, *buffer);
    return *buffer;
  }
  // Where the primitive writes a weights gradient; `written` then brings it into TF.js's layout.
  memory target(float* data) { return needsReorder ? *buffer : memory(user, cpuEngine(), data); }
  void written(stream& strm, float* data) {
    if (!needsReorder) return;
    memory out(user, cpuEngine(), data);
    toUser->execute(strm, *buffer, out);
  }
};

// Mixed precision on AMX: a convolution may read its inputs (activations or gradients, and weights) in bfloat16 and
// write f32, the way TensorFlow's and PyTorch's bf16 autocast run on these CPUs. Each bf16 input is converted from the
// f32 tensor TF.js holds into a buffer of the primitive's; weights convert in their layout reorder.
struct Bf16Input {
  std::unique_ptr<memory> buffer;
  std::unique_ptr<reorder> convert;
  void init(const memory::desc& userMd, const memory::desc& primMd) {
    buffer = std::make_unique<memory>(primMd, cpuEngine());
    convert = std::make_unique<reorder>(memory(userMd, cpuEngine(), nullptr), *buffer);
  }
  // The memory the primitive reads: `user` itself in f32, else `user` converted.
  memory use(stream& strm, memory user) {
    if (!convert) return user;
    convert->execute(strm, user, *buffer);
    return *buffer;
  }
};

// Row-major C = op(A) op(B) through oneDNN's SGEMM (its threads, its AVX-512 kernels).
void sgemm(char ta, char tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b, int64_t ldb,
           float* c, int64_t ldc) {
  if (dnnl_sgemm(ta, tb, m, n, k, 1.f, a, lda, b, ldb, 0.f, c, ldc) != dnnl_success)
    throw std::runtime_error("dnnl_sgemm failed");
}

// Per-channel sums over rows: f(row, acc) adds a row's terms into acc, `sums` blocks of C (several sums in one pass
// over the data). Each thread sums a block of rows, in float over runs of 64 rows and in double across them.
template <typename F>
void channelSums(int64_t rows, int64_t C, int sums, std::vector<double>& out, F f) {
  const int threads = omp_get_max_threads();
  const int64_t width = sums * C;
  std::vector<double> partial(static_cast<size_t>(threads) * width, 0.0);
#pragma omp parallel num_threads(threads)
  {
    std::vector<float> local(width, 0.f);
    double* acc = partial.data() + static_cast<size_t>(omp_get_thread_num()) * width;
    int64_t sinceFlush = 0;
#pragma omp for schedule(static)
    for (int64_t r = 0; r < rows; r++) {
      f(r, local.data());
      if (++sinceFlush == 64) {
        for (int64_t i = 0; i < width; i++) acc[i] += local[i], local[i] = 0.f;
        sinceFlush = 0;
      }
    }
    for (int64_t i = 0; i < width; i++) acc[i] += local[i];
  }
  out.assign(width, 0.0);
  for (int t = 0; t < threads; t++)
    for (int64_t i = 0; i < width; i++) out[i] += partial[static_cast<size_t>(t) * width + i];
}

// Calls f(tap, ih, iw) for each filter tap (kh * KW + kw) of output pixel (oh, ow) that reads an input pixel, not padding.
template <typename F>
void forEachInputTap(const ConvShape& s, int64_t oh, int64_t ow, F f) {
  for (int64_t kh = 0; kh < s.KH; kh++) {
    const int64_t ih = oh * s.SH - s.PT + kh * s.DH;
    if (ih < 0 || ih >= s.H) continue;
    for (int64_t kw = 0; kw < s.KW; kw++) {
      const int64_t iw = ow * s.SW - s.PL + kw * s.DW;
      if (iw >= 0 && iw < s.W) f(kh * s.KW + kw, ih, iw);
    }
  }
}

// Sigmoid (act 4) or swish (act 5) over `size` floats in place, as oneDNN's element-wise primitive (defined below).
void activateInPlace(int64_t act, float* y, int64_t size);

// The whole batch's convolution as one matrix product through im2col: TF.js's filter [KH, KW, C, O] already is the
// [K, O] matrix (K = KH * KW * C) and an NHWC patch is KH * KW runs of C floats. On the small maps at the end of FER
// nets (2x2 to 8x8) oneDNN's direct kernels reach a fraction of its GEMM's speed: one more candidate for `fastest`.
struct GemmConv {
  static constexpr const char* IMPL = "im2col+sgemm:faceloop";
  ConvShape s;
  int64_t M, K;
  std::vector<float> cols;  // [M, K]: a row per output pixel
  explicit GemmConv(const ConvShape& shape)
      : s(shape), M(shape.N * shape.OH * shape.OW), K(shape.KH * shape.KW * shape.C), cols(M * K) {}
  static bool applies(const ConvShape& s) {
    return s.G == 1 && (s.act <= 1 || s.act == 4 || s.act == 5) && s.OH * s.OW <= 64;
  }

  void im2col(const float* x) {
#pragma omp parallel for schedule(static)
    for (int64_t m = 0; m < M; m++) {
      const int64_t n = m / (s.OH * s.OW), oh = m / s.OW % s.OH, ow = m % s.OW;
      for (int64_t kh = 0; kh < s.KH; kh++) {
        const int64_t ih = oh * s.SH - s.PT + kh * s.DH;
        for (int64_t kw = 0; kw < s.KW; kw++) {
          const int64_t iw = ow * s.SW - s.PL + kw * s.DW;
          float* out = cols.data() + m * K + (kh * s.KW + kw) * s.C;
          if (ih < 0 || ih >= s.H || iw < 0 || iw >= s.W) std::fill(out, out + s.C, 0.f);
          else std::copy_n(x + ((n * s.H + ih) * s.W + iw) * s.C, s.C, out);
        }
      }
    }
  }
  void forward(const float* x, const float* w, const float* bias, float* y) {
    im2col(x);
    sgemm('N', 'N', M, s.O, K, cols.data(), K, w, s.O, y, s.O);
    if (bias == nullptr && s.act == 0) return;
#pragma omp parallel for schedule(static)
    for (int64_t m = 0; m < M; m++) {
      float* row = y + m * s.O;
      for (int64_t o = 0; o < s.O; o++) {
        float v = row[o] + (bias != nullptr ? bias[o] : 0.f);
        row[o] = s.act == 1 && v < 0.f ? 0.f : v;
      }
    }
    if (s.act >= 4) activateInPlace(s.act, y, M * s.O);
  }
  void backwardData(const float* dy, const float* w, float* dx) {
    sgemm('N', 'T', M, K, s.O, dy, s.O, w, s.O, cols.data(), K);  // dcols = dy W^T
    const int64_t pixels = s.OH * s.OW, image = s.H * s.W * s.C;
#pragma omp parallel for schedule(static)
    for (int64_t n = 0; n < s.N; n++) {  // col2im, an image per thread: patches overlap only within an image
      float* out = dx + n * image;
      std::fill(out, out + image, 0.f);
      for (int64_t m = n * pixels; m < (n + 1) * pixels; m++) {
        forEachInputTap(s, m / s.OW % s.OH, m % s.OW, [&](int64_t tap, int64_t ih, int64_t iw) {
          const float* in = cols.data() + m * K + tap * s.C;
          float* target = out + (ih * s.W + iw) * s.C;
#pragma omp simd
          for (int64_t c = 0; c < s.C; c++) target[c] += in[c];
        });
      }
    }
  }
  void backwardWeights(const float* x, const float* dy, float* dw) {
    im2col(x);
    sgemm('T', 'N', K, s.O, M, cols.data(), K, dy, s.O, dw, s.O);  // dW = cols^T dy
  }
};

// A depthwise convolution's weights gradient, dW[kh, kw, c] = sum over n, oh, ow of x[n, ih, iw, c] dy[n, oh, ow, c],
// as a direct loop: channels are innermost in NHWC, so each step is a run of C multiply-adds the compiler vectorises.
// Summed like batch-norm statistics (`channelSums`), an output row at a time into the KH * KW * C sums.
struct DepthwiseWeightsGrad {
  static constexpr const char* IMPL = "direct:faceloop";
  ConvShape s;
  explicit DepthwiseWeightsGrad(const ConvShape& shape) : s(shape) {}
  static bool applies(const ConvShape& s) { return s.G > 1 && s.G == s.C && s.O == s.C; }

  void run(const float* x, const float* dy, float* dw) const {
    std::vector<double> sums;
    channelSums(s.N * s.OH, s.KH * s.KW * s.C, 1, sums, [&](int64_t row, float* acc) {
      const int64_t n = row / s.OH, oh = row % s.OH;
      for (int64_t ow = 0; ow < s.OW; ow++) {
        const float* g = dy + (row * s.OW + ow) * s.C;
        forEachInputTap(s, oh, ow, [&](int64_t tap, int64_t ih, int64_t iw) {
          const float* in = x + ((n * s.H + ih) * s.W + iw) * s.C;
          float* a = acc + tap * s.C;
#pragma omp simd
          for (int64_t c = 0; c < s.C; c++) a[c] += in[c] * g[c];
        });
      }
    });
    // [KH, KW, C, 1]: TF.js's layout for a multiplier of 1.
    for (size_t i = 0; i < sums.size(); i++) dw[i] = static_cast<float>(sums[i]);
  }
};

struct ConvForward {
  convolution_forward prim;
  WeightsLayout weights;
  memory::desc src, dst, bias;
  Bf16Input bf16Src;
  std::string impl;
  std::function<void(const float*, const float*, const float*, float*)> own;  // faceloop's code instead of prim
  void run(stream& strm, float* x, float* w, float* b, float* y) {
    if (own) return own(x, w, b, y);
    auto& eng = cpuEngine();
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, bf16Src.use(strm, memory(src, eng, x))},
                                         {DNNL_ARG_WEIGHTS, weights.read(strm, w)},
                                         {DNNL_ARG_DST, memory(dst, eng, y)}};
    if (b != nullptr) args.emplace(DNNL_ARG_BIAS, memory(bias, eng, b));
    prim.execute(strm, args);
  }
};
struct ConvBackwardData {
  convolution_backward_data prim;
  WeightsLayout weights;
  memory::desc diffSrc, diffDst;
  Bf16Input bf16DiffDst;
  std::string impl;
  std::function<void(const float*, const float*, float*)> own;  // faceloop's code instead of prim
  void run(stream& strm, float* dy, float* w, float* dx) {
    if (own) return own(dy, w, dx);
    auto& eng = cpuEngine();
    prim.execute(strm, {{DNNL_ARG_DIFF_DST, bf16DiffDst.use(strm, memory(diffDst, eng, dy))},
                        {DNNL_ARG_WEIGHTS, weights.read(strm, w)},
                        {DNNL_ARG_DIFF_SRC, memory(diffSrc, eng, dx)}});
  }
};
struct ConvBackwardWeights {
  convolution_backward_weights prim;
  WeightsLayout weights;
  memory::desc src, diffDst;
  Bf16Input bf16Src, bf16DiffDst;
  std::string impl;
  std::function<void(const float*, const float*, float*)> own;  // faceloop's code instead of prim
  void run(stream& strm, float* x, float* dy, float* dw) {
    if (own) return own(x, dy, dw);
    auto& eng = cpuEngine();
    prim.execute(strm, {{DNNL_ARG_SRC, bf16Src.use(strm, memory(src, eng, x))},
                        {DNNL_ARG_DIFF_DST, bf16DiffDst.use(strm, memory(diffDst, eng, dy))},
                        {DNNL_ARG_DIFF_WEIGHTS, weights.target(dw)}});
    weights.written(strm, dw);
  }
};

std::unordered_map<std::string, std::unique_ptr<ConvForward>> convForwards;
std::unordered_map<std::string, std::unique_ptr<ConvBackwardData>> convBackwardDatas;
std::unordered_map<std::string, std::unique_ptr<ConvBackwardWeights>> convBackwardWeightss;

memory::desc nhwcBf16(int64_t n, int64_t c, int64_t h, int64_t w) {
  return memory::desc({n, c, h, w}, dt::bf16, dims{h * w * c, 1, w * c, c});
}
memory::desc anyBf16Weights(const ConvShape& s) {
  return memory::desc({s.O, s.C, s.KH, s.KW}, dt::bf16, memory::format_tag::any);
}
bool isBf16(const memory::desc& md) { return md.data_type() == dt::bf16; }

convolution_forward::desc bf16ForwardDesc(const ConvShape& s, prop_kind kind, bool hasBias) {
  auto bias = hasBias ? memory::desc({s.O}, dt::f32, memory::format_tag::a) : memory::desc();
  return convolution_forward::desc(kind, algorithm::convolution_direct, nhwcBf16(s.N, s.C, s.H, s.W),
                                   anyBf16Weights(s), bias, s.dst(), s.strides(), s.dilations(), s.padL(), s.padR());
}

convolution_forward::primitive_desc forwardHint(const ConvShape& s) {
  return convolution_forward::primitive_desc(s.forwardDesc(prop_kind::forward_training, false), cpuEngine());
}
// None where oneDNN has no bf16 convolution for the shape.
std::unique_ptr<convolution_forward::primitive_desc> bf16ForwardHint(const ConvShape& s) {
  try {
    return std::make_unique<convolution_forward::primitive_desc>(
        bf16ForwardDesc(s, prop_kind::forward_training, false), cpuEngine());
  } catch (const dnnl::error&) {
    return nullptr;
  }
}

// Every implementation oneDNN offers for what `make` describes, in its own order of preference, reference code left
// out (its C loops are orders of magnitude slower); with `amxOnly`, only AMX code (bf16 elsewhere is emulated or
// slower than f32). None when oneDNN has nothing for it.
template <typename PD, typename Make>
std::vector<PD> implementationsOf(Make make, bool amxOnly = false) {
  std::vector<PD> out;
  try {
    PD pd = make();
    do {
      std::string impl = pd.impl_info_str();
      bool wanted = amxOnly ? impl.find("amx") != std::string::npos : impl.find("ref") == std::string::npos;
      if (wanted) out.push_back(pd);
    } while (pd.next_impl());  // the copy kept above holds its own descriptor; the iterator moves on
  } catch (const dnnl::error&) {
  }
  // Where AVX-512 code exists, code for older ISAs (sse41, avx2) is left out too: rarely run paths, fewer to time.
  auto isAvx512 = [](const PD& pd) {
    std::string impl = pd.impl_info_str();
    return impl.find("avx512") != std::string::npos || impl.find("gemm") != std::string::npos;
  };
  if (std::any_of(out.begin(), out.end(), isAvx512)) {
    out.erase(std::remove_if(out.begin(), out.end(), [&](const PD& pd) { return !isAvx512(pd); }), out.end());
  }
  return out;
}

// A convolution's oneDNN candidates: its bf16 AMX implementations first when `withBf16` (without tuning the first
// candidate runs), then its f32 ones; reference code only if there is nothing else.
template <typename PD, typename F32, typename Bf16>
std::vector<PD> candidatePds(F32 f32, Bf16 bf16, bool withBf16) {
  auto pds = withBf16 ? implementationsOf<PD>(bf16, true) : std::vector<PD>{};
  auto more = implementationsOf<PD>(f32);
  pds.insert(pds.end(), more.begin(), more.end());
  if (pds.empty()) pds.push_back(f32());
  return pds;
}

// Adds a candidate running faceloop's own code (`own`) instead of a oneDNN primitive.
template <typename Entry, typename Own>
void addOwnCandidate(std::vector<std::unique_ptr<Entry>>& candidates, const char* impl, Own own) {
  candidates.push_back(std::make_unique<Entry>());
  candidates.back()->impl = impl;
  candidates.back()->own = own;
}

bool autotune = true;
std::string preferred;  // tests: run this implementation wherever it is a candidate

// Scratch tensors in TF.js's layouts for timing candidates, each between two guard zones: a candidate that writes
// outside its tensors is caught and dropped (oneDNN 2.6's jit_1x1:avx512_core_amx_bf16 did, on EfficientNet's 1x1
// bf16 inference convolutions; it corrupted the heap).
class Scratch {
 public:
  explicit Scratch(std::initializer_list<size_t> sizes) {
    for (size_t size : sizes) {
      buffers_.emplace_back(size + 2 * GUARD, GUARD_VALUE);
      std::fill(buffers_.back().begin() + GUARD, buffers_.back().end() - GUARD, 0.f);
    }
  }
  float* operator[](size_t i) { return buffers_[i].data() + GUARD; }
  // Whether every guard is as written; puts them back either way.
  bool guardsIntact() {
    bool intact = true;
    for (auto& b : buffers_) {
      for (size_t i = 0; i < GUARD; i++) {
        for (float* g : {&b[i], &b[b.size() - 1 - i]}) {
          if (*g != GUARD_VALUE) intact = false, *g = GUARD_VALUE;
        }
      }
    }
    return intact;
  }

 private:
  static constexpr size_t GUARD = 4096;
  static constexpr float GUARD_VALUE = 1234.5f;
  std::vector<std::vector<float>> buffers_;
};

// The fastest candidate on this machine: each runs once to warm up, then three rounds time them in turn (so a burst of
// load from elsewhere weighs on all of them alike) and each keeps its best time. oneDNN's first choice is often not
// the fastest for FER's small images (a 2x2 or 4x4 map at the end of a ResNet), and bf16 on AMX wins on large maps
// but loses on small ones. Runs once per shape; the choice is kept with the primitive.
// `run(candidate, scratch)` runs one on scratch tensors of `sizes` floats.
template <typename Entry, typename Run>
std::unique_ptr<Entry> fastest(std::vector<std::unique_ptr<Entry>> candidates, std::initializer_list<size_t> sizes,
                               Run run) {
  if (candidates.empty()) throw std::runtime_error("oneDNN has no implementation for this convolution");
  for (auto& candidate : candidates) {
    if (!preferred.empty() && candidate->impl.find(preferred) != std::string::npos) return std::move(candidate);
  }
  if (!autotune || candidates.size() == 1) return std::move(candidates[0]);
  Scratch scratch(sizes);
  std::vector<double> best(candidates.size(), INFINITY);
  std::vector<bool> safe(candidates.size(), true);
  for (int round = 0; round < 4; round++) {
    for (size_t i = 0; i < candidates.size(); i++) {
      if (!safe[i]) continue;
      double start = omp_get_wtime();
      run(*candidates[i], scratch);
      cpuStream().wait();
      double seconds = omp_get_wtime() - start;
      if (!scratch.guardsIntact()) {
        safe[i] = false, best[i] = INFINITY;
        recordImpl("dropped: writes outside its tensors", candidates[i]->impl);
      } else if (round > 0) {
        best[i] = std::min(best[i], seconds);
      }
    }
  }
  size_t chosen = std::min_element(best.begin(), best.end()) - best.begin();
  return std::move(candidates[best[chosen] < INFINITY ? chosen : 0]);
}

size_t srcSize(const ConvShape& s) { return s.N * s.H * s.W * s.C; }
size_t dstSize(const ConvShape& s) { return s.N * s.OH * s.OW * s.O; }
size_t weightsSize(const ConvShape& s) { return s.KH * s.KW * (s.G == 1 ? s.C * s.O : s.O); }

// conv2dForward(heap, x, filter, bias (-1: none), y, p, training, bf16)
// bf16: may compute in bfloat16 (inputs and weights rounded to 8 mantissa bits, f32 accumulation and output) where
// oneDNN has code for it and it is faster than f32.
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  auto p = intArray(info[5]);
  bool hasBias = info[3].As<Napi::Number>().Int64Value() >= 0;
  bool training = info[6].ToBoolean();
  bool bf16 = info.Length() > 7 && info[7].ToBoolean();
  p.push_back(hasBias);
  p.push_back(training);
  p.push_back(bf16);
  auto key = keyOf("conv_fwd", p);
  auto found = convForwards.find(key);
  if (found == convForwards.end()) {
    ConvShape s(p);
    auto kind = training ? prop_kind::forward_training : prop_kind::forward_inference;
    auto attr = activationAttr(s.act);
    using PD = convolution_forward::primitive_desc;
    // oneDNN's iterator over implementations keeps pointers to the descriptors (and a backward pass's forward hint):
    // they live in this scope until every candidate is built.
    auto f32Desc = s.forwardDesc(kind, hasBias);
    auto bf16Desc = bf16ForwardDesc(s, kind, hasBias);
    auto pds = candidatePds<PD>([&] { return PD(f32Desc, attr, cpuEngine()); },
                                [&] { return PD(bf16Desc, attr, cpuEngine()); }, bf16 && s.G == 1);
    std::vector<std::unique_ptr<ConvForward>> candidates;
    for (auto& pd : pds) {
      auto entry = std::make_unique<ConvForward>(ConvForward{convolution_forward(pd), {}, s.src(), s.dst(),
                                                             hasBias ? pd.bias_desc() : memory::desc(), {},
                                                             pd.impl_info_str()});
      entry->weights.init(s.userWeights(), pd.weights_desc(), false);
      if (isBf16(pd.src_desc())) entry->bf16Src.init(s.src(), pd.src_desc());
      candidates.push_back(std::move(entry));
    }
    if (GemmConv::applies(s)) {
      auto gemm = std::make_shared<GemmConv>(s);
      addOwnCandidate(candidates, GemmConv::IMPL,
                      [gemm](const float* x, const float* w, const float* b, float* y) { gemm->forward(x, w, b, y); });
    }
    auto chosen = fastest(std::move(candidates), {srcSize(s), weightsSize(s), dstSize(s), static_cast<size_t>(s.O)},
                          [&](ConvForward& c, Scratch& t) { c.run(cpuStream(), t[0], t[1], hasBias ? t[3] : nullptr, t[2]); });
    recordImpl(s.G == 1 ? "convolution forward" : "depthwise convolution forward", chosen->impl);
    found = convForwards.emplace(key, std::move(chosen)).first;
  }
  found->second->run(cpuStream(), at(base, info[1]), at(base, info[2]), hasBias ? at(base, info[3]) : nullptr,
                     at(base, info[4]));
  cpuStream().wait();
  return info.Env().Undefined();
}

// conv2dBackwardData(heap, dy, filter, dx, p, bf16)
Napi::Value Conv2dBackwardData(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  auto p = intArray(info[4]);
  bool bf16 = info.Length() > 5 && info[5].ToBoolean();
  p.push_back(bf16);
  auto key = keyOf("conv_bwd_d", p);
  auto found = convBackwardDatas.find(key);
  if (found == convBackwardDatas.end()) {
    ConvShape s(p);
    using PD = convolution_backward_data::primitive_desc;
    // Descriptors and hints outlive the iteration over implementations (see Conv2dForward).
    auto hintF32 = forwardHint(s);
    auto hintBf16 = bf16 && s.G == 1 ? bf16ForwardHint(s) : nullptr;
    convolution_backward_data::desc f32Desc(algorithm::convolution_direct, s.src(), s.anyWeights(), s.dst(),
                                            s.strides(), s.dilations(), s.padL(), s.padR());
    convolution_backward_data::desc bf16Desc(algorithm::convolution_direct, s.src(), anyBf16Weights(s),
                                             nhwcBf16(s.N, s.O, s.OH, s.OW), s.strides(), s.dilations(), s.padL(),
                                             s.padR());
    auto pds = candidatePds<PD>([&] { return PD(f32Desc, cpuEngine(), hintF32); },
                                [&] { return PD(bf16Desc, cpuEngine(), *hintBf16); }, hintBf16 != nullptr);
    std::vector<std::unique_ptr<ConvBackwardData>> candidates;
    for (auto& pd : pds) {
      auto entry = std::make_unique<ConvBackwardData>(
          ConvBackwardData{convolution_backward_data(pd), {}, s.src(), s.dst(), {}, pd.impl_info_str()});
      entry->weights.init(s.userWeights(), pd.weights_desc(), false);
      if (isBf16(pd.diff_dst_desc())) entry->bf16DiffDst.init(s.dst(), pd.diff_dst_desc());
      candidates.push_back(std::move(entry));
    }
    if (GemmConv::applies(s)) {
      auto gemm = std::make_shared<GemmConv>(s);
      addOwnCandidate(candidates, GemmConv::IMPL,
                      [gemm](const float* dy, const float* w, float* dx) { gemm->backwardData(dy, w, dx); });
    }
    auto chosen = fastest(std::move(candidates), {dstSize(s), weightsSize(s), srcSize(s)},
                          [](ConvBackwardData& c, Scratch& t) { c.run(cpuStream(), t[0], t[1], t[2]); });
    recordImpl(s.G == 1 ? "convolution backward data" : "depthwise convolution backward data", chosen->impl);
    found = convBackwardDatas.emplace(key, std::move(chosen)).first;
  }
  found->second->run(cpuStream(), at(base, info[1]), at(base, info[2]), at(base, info[3]));
  cpuStream().wait();
  return info.Env().Undefined();
}

// conv2dBackwardWeights(heap, x, dy, dfilter, p, bf16)
Napi::Value Conv2dBackwardWeights(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  auto p = intArray(info[4]);
  bool bf16 = info.Length() > 5 && info[5].ToBoolean();
  p.push_back(bf16);
  auto key = keyOf("conv_bwd_w", p);
  auto found = convBackwardWeightss.find(key);
  if (found == convBackwardWeightss.end()) {
    ConvShape s(p);
    using PD = convolution_backward_weights::primitive_desc;
    // Descriptors and hints outlive the iteration over implementations (see Conv2dForward).
    auto hintF32 = forwardHint(s);
    auto hintBf16 = bf16 && s.G == 1 ? bf16ForwardHint(s) : nullptr;
    convolution_backward_weights::desc f32Desc(algorithm::convolution_direct, s.src(), s.anyWeights(), s.dst(),
                                               s.strides(), s.dilations(), s.padL(), s.padR());
    convolution_backward_weights::desc bf16Desc(
        algorithm::convolution_direct, nhwcBf16(s.N, s.C, s.H, s.W),
        memory::desc({s.O, s.C, s.KH, s.KW}, dt::f32, memory::format_tag::any), nhwcBf16(s.N, s.O, s.OH, s.OW),
        s.strides(), s.dilations(), s.padL(), s.padR());
    auto pds = candidatePds<PD>([&] { return PD(f32Desc, cpuEngine(), hintF32); },
                                [&] { return PD(bf16Desc, cpuEngine(), *hintBf16); }, hintBf16 != nullptr);
    std::vector<std::unique_ptr<ConvBackwardWeights>> candidates;
    for (auto& pd : pds) {
      auto entry = std::make_unique<ConvBackwardWeights>(
          ConvBackwardWeights{convolution_backward_weights(pd), {}, s.src(), s.dst(), {}, {}, pd.impl_info_str()});
      entry->weights.init(s.userWeights(), pd.diff_weights_desc(), true);
      if (isBf16(pd.src_desc())) entry->bf16Src.init(s.src(), pd.src_desc());
      if (isBf16(pd.diff_dst_desc())) entry->bf16DiffDst.init(s.dst(), pd.diff_dst_desc());
      candidates.push_back(std::move(entry));
    }
    if (GemmConv::applies(s)) {
      auto gemm = std::make_shared<GemmConv>(s);
      addOwnCandidate(candidates, GemmConv::IMPL,
                      [gemm](const float* x, const float* dy, float* dw) { gemm->backwardWeights(x, dy, dw); });
    }
    if (DepthwiseWeightsGrad::applies(s)) {
      auto grad = std::make_shared<DepthwiseWeightsGrad>(s);
      addOwnCandidate(candidates, DepthwiseWeightsGrad::IMPL,
                      [grad](const float* x, const float* dy, float* dw) { grad->run(x, dy, dw); });
    }
    auto chosen = fastest(std::move(candidates), {srcSize(s), dstSize(s), weightsSize(s)},
                          [](ConvBackwardWeights& c, Scratch& t) { c.run(cpuStream(), t[0], t[1], t[2]); });
    recordImpl(s.G == 1 ? "convolution backward weights" : "depthwise convolution backward weights", chosen->impl);
    found = convBackwardWeightss.emplace(key, std::move(chosen)).first;
  }
  found->second->run(cpuStream(), at(base, info[1]), at(base, info[2]), at(base, info[3]));
  cpuStream().wait();
  return info.Env().Undefined();
}

// ------------------------------------------------------------------------------------------------------- pooling
// p = [N, C, H, W, OH, OW, KH, KW, strideH, strideW, padTop, padLeft, padBottom, padRight]
struct PoolShape {
  int64_t N, C, H, W, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR;
  explicit PoolShape(const std::vector<int64_t>& p)
      : N(p[0]), C(p[1]), H(p[2]), W(p[3]), OH(p[4]), OW(p[5]), KH(p[6]), KW(p[7]), SH(p[8]), SW(p[9]), PT(p[10]),
        PL(p[11]), PB(p[12]), PR(p[13]) {}
  pooling_forward::desc forward(prop_kind kind, algorithm alg) const {
    return pooling_forward::desc(kind, alg, nhwc(N, C, H, W), nhwc(N, C, OH, OW), {SH, SW}, {KH, KW}, {PT, PL},
                                 {PB, PR});
  }
};

struct Pool {
  pooling_forward forward;
  std::unique_ptr<pooling_backward> backward;
  memory::desc src, dst, workspace;
  std::unique_ptr<memory> workspaceMemory, scratchDst;
};
std::unordered_map<std::string, std::unique_ptr<Pool>> pools;

// Average pooling divides by the window's cells inside the image, as TF.js does; its gradient, as TF.js computes it
// (and so every other backend), divides by the whole window even where padding cut it, so the backward pass uses
// include_padding to train the same.
algorithm poolAlgorithm(bool isMax, bool backward = false) {
  if (isMax) return algorithm::pooling_max;
  return backward ? algorithm::pooling_avg_include_padding : algorithm::pooling_avg_exclude_padding;
}

// poolForward(heap, x, y, p, isMax)
Napi::Value PoolForward(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  auto p = intArray(info[3]);
  bool isMax = info[4].ToBoolean();
  p.push_back(isMax);
  auto key = keyOf("pool_fwd", p);
  auto found = pools.find(key);
  if (found == pools.end()) {
    PoolShape s(p);
    pooling_forward::primitive_desc pd(s.forward(prop_kind::forward_inference, poolAlgorithm(isMax)), cpuEngine());
    recordImpl(isMax ? "max pooling forward" : "average pooling forward", pd.impl_info_str());
    auto entry = std::make_unique<Pool>(Pool{pooling_forward(pd), nullptr, pd.src_desc(), pd.dst_desc(), {}, {}, {}});
    found = pools.emplace(key, std::move(entry)).first;
  }
  Pool& pool = *found->second;
  auto& eng = cpuEngine();
  pool.forward.execute(cpuStream(), {{DNNL_ARG_SRC, memory(pool.src, eng, at(base, info[1]))},
                                     {DNNL_ARG_DST, memory(pool.dst, eng, at(base, info[2]))}});
  cpuStream().wait();
  return info.Env().Undefined();
}

// poolBackward(heap, x (max only; -1 for average), dy, dx, p, isMax). Max pooling reruns the forward pass for the
// workspace (argmax positions): TF.js hands the gradient kernel the input, not oneDNN's workspace.
Napi::Value PoolBackward(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  auto p = intArray(info[4]);
  bool isMax = info[5].ToBoolean();
  p.push_back(isMax);
  auto key = keyOf("pool_bwd", p);
  auto found = pools.find(key);
  auto& eng = cpuEngine();
  if (found == pools.end()) {
    PoolShape s(p);
    pooling_forward::primitive_desc fwd(s.forward(prop_kind::forward_training, poolAlgorithm(isMax, true)), eng);
    pooling_backward::desc desc(poolAlgorithm(isMax, true), nhwc(s.N, s.C, s.H, s.W), nhwc(s.N, s.C, s.OH, s.OW),
                                {s.SH, s.SW}, {s.KH, s.KW}, {s.PT, s.PL}, {s.PB, s.PR});
    pooling_backward::primitive_desc pd(desc, eng, fwd);
    recordImpl(isMax ? "max pooling backward" : "average pooling backward", pd.impl_info_str());
    auto entry = std::make_unique<Pool>(Pool{pooling_forward(fwd), std::make_unique<pooling_backward>(pd),
                                             fwd.src_desc(), fwd.dst_desc(), fwd.workspace_desc(), nullptr, nullptr});
    if (isMax) {
      entry->workspaceMemory = std::make_unique<memory>(entry->workspace, eng);
      entry->scratchDst = std::make_unique<memory>(entry->dst, eng);
    }
    found = pools.emplace(key, std::move(entry)).first;
  }
  Pool& pool = *found->second;
  auto& strm = cpuStream();
  memory dy(pool.dst, eng, at(base, info[2]));
  memory dx(pool.src, eng, at(base, info[3]));
  if (isMax) {
    pool.forward.execute(strm, {{DNNL_ARG_SRC, memory(pool.src, eng, at(base, info[1]))},
                                {DNNL_ARG_DST, *pool.scratchDst},
                                {DNNL_ARG_WORKSPACE, *pool.workspaceMemory}});
    pool.backward->execute(strm,
                           {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}, {DNNL_ARG_WORKSPACE, *pool.workspaceMemory}});
  } else {
    pool.backward->execute(strm, {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}});
  }
  strm.wait();
  return info.Env().Undefined();
}

// --------------------------------------------------------------------------------------------------- batch norm
// Plain OpenMP loops over channels-last data seen as rows of C channels (p = [rows, C, ...]). oneDNN's channels-last
// batch norm picked SSE4.1/AVX2 code for channel counts that are not a multiple of 16 (20, 40 in the compact net) and
// threads only over the batch; these loops are memory-bound either way and one pass each.

// y = x * factor[c] + shift[c] over every row.
void scaleShift(const float* x, float* y, int64_t rows, int64_t C, const float* factor, const float* shift) {
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* in = x + r * C;
    float* out = y + r * C;
#pragma omp simd
    for (int64_t c = 0; c < C; c++) out[c] = in[c] * factor[c] + shift[c];
  }
}

// batchNormInference(heap, x, mean, variance, scale, shift, y, [rows, C], epsilon)
Napi::Value BatchNormInferenceFn(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  auto p = intArray(info[7]);
  const int64_t rows = p[0], C = p[1];
  const float epsilon = info[8].As<Napi::Number>().FloatValue();
  const float *mean = at(base, info[2]), *variance = at(base, info[3]), *scale = at(base, info[4]),
              *offset = at(base, info[5]);
  std::vector<float> factor(C), shift(C);
  for (int64_t c = 0; c < C; c++) {
    factor[c] = scale[c] / std::sqrt(variance[c] + epsilon);
    shift[c] = offset[c] - mean[c] * factor[c];
  }
  scaleShift(at(base, info[1]), at(base, info[6]), rows, C, factor.data(), shift.data());
  return info.Env().Undefined();
}

// batchNormBackward(heap, dy, x, mean, variance, scale, dx, dscale, dshift, [rows, C], epsilon): the training-mode
// gradient, dx = gamma * rstd * (dy - mean(dy) - (x - mean) * rstd^2 * mean(dy * (x - mean))).
Napi::Value BatchNormBackwardFn(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  auto p = intArray(info[9]);
  const int64_t rows = p[0], C = p[1];
  const float epsilon = info[10].As<Napi::Number>().FloatValue();
  const float *dy = at(base, info[1]), *x = at(base, info[2]), *mean = at(base, info[3]),
              *variance = at(base, info[4]), *gamma = at(base, info[5]);
  float *dx = at(base, info[6]), *dGamma = at(base, info[7]), *dBeta = at(base, info[8]);
  std::vector<double> sums;  // [sum of dy | sum of dy * (x - mean)], one pass
  channelSums(rows, C, 2, sums, [&](int64_t r, float* acc) {
    const float* g = dy + r * C;
    const float* in = x + r * C;
#pragma omp simd
    for (int64_t c = 0; c < C; c++) {
      acc[c] += g[c];
      acc[C + c] += g[c] * (in[c] - mean[c]);
    }
  });
  const double* sumDy = sums.data();
  const double* sumDyCentered = sums.data() + C;
  std::vector<float> a(C), b(C), d(C);
  for (int64_t c = 0; c < C; c++) {
    const double rstd = 1.0 / std::sqrt(static_cast<double>(variance[c]) + epsilon);
    dGamma[c] = static_cast<float>(sumDyCentered[c] * rstd);
    dBeta[c] = static_cast<float>(sumDy[c]);
    // dx = a * dy + b * x + d per channel.
    a[c] = static_cast<float>(gamma[c] * rstd);
    b[c] = static_cast<float>(-gamma[c] * rstd * rstd * rstd * sumDyCentered[c] / rows);
    d[c] = static_cast<float>(-gamma[c] * rstd * sumDy[c] / rows - b[c] * static_cast<double>(mean[c]));
  }
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; r++) {
    const float* g = dy + r * C;
    const float* in = x + r * C;
    float* out = dx + r * C;
#pragma omp simd
    for (int64_t c = 0; c < C; c++) out[c] = a[c] * g[c] + b[c] * in[c] + d[c];
  }
  return info.Env().Undefined();
}

// batchNormStats(heap, x, mean, variance, [rows, C]): per-channel mean and biased variance in one pass, summing x - k
// and (x - k)^2 with k the first row's value: the shift keeps E[d^2] - E[d]^2 free of the cancellation the plain
// formula has when the mean is large against the spread.
Napi::Value BatchNormStats(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  const float* x = at(base, info[1]);
  float* mean = at(base, info[2]);
  float* variance = at(base, info[3]);
  auto p = intArray(info[4]);
  const int64_t rows = p[0], C = p[1];
  std::vector<float> k(x, x + C);
  std::vector<double> sums;  // [sum of d | sum of d^2], d = x - k
  channelSums(rows, C, 2, sums, [&](int64_t r, float* acc) {
    const float* in = x + r * C;
#pragma omp simd
    for (int64_t c = 0; c < C; c++) {
      const float d = in[c] - k[c];
      acc[c] += d;
      acc[C + c] += d * d;
    }
  });
  for (int64_t c = 0; c < C; c++) {
    const double m = sums[c] / rows;
    mean[c] = static_cast<float>(k[c] + m);
    variance[c] = static_cast<float>(std::max(0.0, sums[C + c] / rows - m * m));
  }
  return info.Env().Undefined();
}

// -------------------------------------------------------------------------------------------------------- matmul
// matMul(heap, a, b, c, [batchA, batchB, M, N, K, transposeA, transposeB]): row-major C[b] = op(A[b]) op(B[b]),
// a batch of 1 on either side broadcasting.
Napi::Value MatMul(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  const float* a = at(base, info[1]);
  const float* b = at(base, info[2]);
  float* c = at(base, info[3]);
  auto p = intArray(info[4]);
  const int64_t batchA = p[0], batchB = p[1], M = p[2], N = p[3], K = p[4];
  const bool ta = p[5] != 0, tb = p[6] != 0;
  const int64_t batch = std::max(batchA, batchB);
  for (int64_t i = 0; i < batch; i++) {
    const float* A = a + (batchA == 1 ? 0 : i) * M * K;
    const float* B = b + (batchB == 1 ? 0 : i) * K * N;
    sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', M, N, K, A, ta ? M : K, B, tb ? K : N, c + i * M * N, N);
  }
  return info.Env().Undefined();
}

// ---------------------------------------------------------------------------------------------------------- ReLU
// Memory-bound passes over whole activations: plain loops the compiler vectorises for AVX-512, on both cores.
// relu(heap, x, y, size)
Napi::Value Relu(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  const float* __restrict x = at(base, info[1]);
  float* __restrict y = at(base, info[2]);
  const int64_t size = info[3].As<Napi::Number>().Int64Value();
#pragma omp parallel for simd schedule(static) if (size > 65536)
  for (int64_t i = 0; i < size; i++) y[i] = x[i] > 0.f ? x[i] : 0.f;
  return info.Env().Undefined();
}

// reluBackward(heap, dy, y, dx, size): dx = y > 0 ? dy : 0, from the ReLU's output.
Napi::Value ReluBackward(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  const float* __restrict dy = at(base, info[1]);
  const float* __restrict y = at(base, info[2]);
  float* __restrict dx = at(base, info[3]);
  const int64_t size = info[4].As<Napi::Number>().Int64Value();
  // Both loads unconditional: a branch on the sign of random activations mispredicts half the time (5x slower).
#pragma omp parallel for simd schedule(static) if (size > 65536)
  for (int64_t i = 0; i < size; i++) {
    const float g = dy[i];
    dx[i] = y[i] > 0.f ? g : 0.f;
  }
  return info.Env().Undefined();
}

// binary(heap, a, b, out, [outer, middle, inner], op): out[o, m, i] = a[o, m, i] op b[o, i], b broadcast over the
// middle axes: same shapes (middle 1), a scalar (outer and inner 1), or squeeze-and-excite's [N, H, W, C] x
// [N, 1, 1, C]. op: 0 a * b, 1 a + b, 2 a - b, 3 b - a (a subtraction whose larger operand came second).
template <typename Op>
void broadcastBinary(const float* __restrict a, const float* __restrict b, float* __restrict out, int64_t outer,
                     int64_t middle, int64_t inner, Op op) {
  const int64_t size = outer * middle * inner;
  if (middle == 1) {
#pragma omp parallel for simd schedule(static) if (size > 65536)
    for (int64_t i = 0; i < size; i++) out[i] = op(a[i], b[i]);
  } else if (outer * inner == 1) {
    const float scalar = b[0];
#pragma omp parallel for simd schedule(static) if (size > 65536)
    for (int64_t i = 0; i < size; i++) out[i] = op(a[i], scalar);
  } else {
#pragma omp parallel for collapse(2) schedule(static) if (size > 65536)
    for (int64_t o = 0; o < outer; o++) {
      for (int64_t m = 0; m < middle; m++) {
        const int64_t row = (o * middle + m) * inner;
        const float* values = b + o * inner;
#pragma omp simd
        for (int64_t i = 0; i < inner; i++) out[row + i] = op(a[row + i], values[i]);
      }
    }
  }
}

Napi::Value Binary(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  const float* a = at(base, info[1]);
  const float* b = at(base, info[2]);
  float* out = at(base, info[3]);
  auto p = intArray(info[4]);
  const int64_t outer = p[0], middle = p[1], inner = p[2];
  switch (info[5].As<Napi::Number>().Int32Value()) {
    case 0: broadcastBinary(a, b, out, outer, middle, inner, [](float x, float y) { return x * y; }); break;
    case 1: broadcastBinary(a, b, out, outer, middle, inner, [](float x, float y) { return x + y; }); break;
    case 2: broadcastBinary(a, b, out, outer, middle, inner, [](float x, float y) { return x - y; }); break;
    case 3: broadcastBinary(a, b, out, outer, middle, inner, [](float x, float y) { return y - x; }); break;
    default: throw std::runtime_error("binary: unknown operation");
  }
  return info.Env().Undefined();
}

// reduceMiddle(heap, x, y, [outer, middle, inner], scale): y[o, i] = scale * sum over m of x[o, m, i], a sum (scale 1)
// or mean (1 / middle) over contiguous middle axes: global average pooling's and squeeze-and-excite's [N, H, W, C] ->
// [N, C], and with outer 1 a bias gradient's [rows, C] -> [C]. TF.js's kernels transpose the whole tensor first
// unless the reduced axes are the innermost. With an outer axis threads split it (and blocks of channels); without
// one they split the rows, summed like batch-norm statistics.
Napi::Value ReduceMiddle(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  const float* __restrict x = at(base, info[1]);
  float* __restrict y = at(base, info[2]);
  auto p = intArray(info[3]);
  const double scale = info[4].As<Napi::Number>().DoubleValue();
  constexpr int64_t block = 64;
  const int64_t outer = p[0], middle = p[1], inner = p[2], blocks = (inner + block - 1) / block;
  if (outer == 1) {
    std::vector<double> sums;
    channelSums(middle, inner, 1, sums, [&](int64_t row, float* acc) {
      const float* values = x + row * inner;
#pragma omp simd
      for (int64_t i = 0; i < inner; i++) acc[i] += values[i];
    });
    for (int64_t i = 0; i < inner; i++) y[i] = static_cast<float>(sums[i] * scale);
    return info.Env().Undefined();
  }
#pragma omp parallel for collapse(2) schedule(static) if (outer * middle * inner > 65536)
  for (int64_t o = 0; o < outer; o++) {
    for (int64_t b = 0; b < blocks; b++) {
      const int64_t first = b * block, last = std::min(inner, first + block);
      float sums[block] = {};
      for (int64_t m = 0; m < middle; m++) {
        const float* row = x + (o * middle + m) * inner;
#pragma omp simd
        for (int64_t i = first; i < last; i++) sums[i - first] += row[i];
      }
      for (int64_t i = first; i < last; i++) y[o * inner + i] = static_cast<float>(sums[i - first] * scale);
    }
  }
  return info.Env().Undefined();
}

// Swish, x * sigmoid(x), and its gradient (and the sigmoid a GEMM convolution applies) as oneDNN's element-wise
// primitives (vectorised exp), one per algorithm and tensor size.
struct Eltwise {
  eltwise_forward forward;
  eltwise_backward backward;
  memory::desc md;
};
std::map<std::pair<algorithm, int64_t>, std::unique_ptr<Eltwise>> eltwises;

Eltwise& eltwiseOf(algorithm alg, int64_t size) {
  auto found = eltwises.find({alg, size});
  if (found != eltwises.end()) return *found->second;
  const float alpha = alg == algorithm::eltwise_swish ? 1.f : 0.f;
  const char* name = alg == algorithm::eltwise_swish ? "swish" : "sigmoid";
  memory::desc md({size}, dt::f32, memory::format_tag::a);
  eltwise_forward::primitive_desc forward(
      eltwise_forward::desc(prop_kind::forward_training, alg, md, alpha, 0.f), cpuEngine());
  eltwise_backward::primitive_desc backward(eltwise_backward::desc(alg, md, md, alpha, 0.f), cpuEngine(), forward);
  recordImpl(std::string(name) + " forward", forward.impl_info_str());
  recordImpl(std::string(name) + " backward", backward.impl_info_str());
  auto entry = std::make_unique<Eltwise>(Eltwise{eltwise_forward(forward), eltwise_backward(backward), md});
  return *eltwises.emplace(std::make_pair(alg, size), std::move(entry)).first->second;
}
Eltwise& swishOf(int64_t size) { return eltwiseOf(algorithm::eltwise_swish, size); }

void activateInPlace(int64_t act, float* y, int64_t size) {
  Eltwise& e = eltwiseOf(act == 5 ? algorithm::eltwise_swish : algorithm::eltwise_logistic, size);
  memory data(e.md, cpuEngine(), y);
  e.forward.execute(cpuStream(), {{DNNL_ARG_SRC, data}, {DNNL_ARG_DST, data}});
  cpuStream().wait();
}

// swish(heap, x, y, size)
Napi::Value Swish(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  Eltwise& e = swishOf(info[3].As<Napi::Number>().Int64Value());
  auto& eng = cpuEngine();
  e.forward.execute(cpuStream(), {{DNNL_ARG_SRC, memory(e.md, eng, at(base, info[1]))},
                                  {DNNL_ARG_DST, memory(e.md, eng, at(base, info[2]))}});
  cpuStream().wait();
  return info.Env().Undefined();
}

// swishBackward(heap, dy, x, dx, size)
Napi::Value SwishBackward(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  Eltwise& e = swishOf(info[4].As<Napi::Number>().Int64Value());
  auto& eng = cpuEngine();
  e.backward.execute(cpuStream(), {{DNNL_ARG_DIFF_DST, memory(e.md, eng, at(base, info[1]))},
                                   {DNNL_ARG_SRC, memory(e.md, eng, at(base, info[2]))},
                                   {DNNL_ARG_DIFF_SRC, memory(e.md, eng, at(base, info[3]))}});
  cpuStream().wait();
  return info.Env().Undefined();
}

// --------------------------------------------------------------------------------------------------------- AdamW
// adamWUpdate(heap, w, g, m, v, newW, newM, newV, size, [beta1, beta2, stepSize, epsilon, keep]): the optimizer's
// dozen element-wise kernels per variable as one pass, the same float arithmetic as lib/training/adamw.ts.
Napi::Value AdamWUpdate(const Napi::CallbackInfo& info) {
  uint8_t* base = heapBase(info[0]);
  const float *w = at(base, info[1]), *g = at(base, info[2]), *m = at(base, info[3]), *v = at(base, info[4]);
  float *outW = at(base, info[5]), *outM = at(base, info[6]), *outV = at(base, info[7]);
  const int64_t size = info[8].As<Napi::Number>().Int64Value();
  auto c = info[9].As<Napi::Array>();
  auto f = [&](uint32_t i) { return c.Get(i).As<Napi::Number>().FloatValue(); };
  const float beta1 = f(0), beta2 = f(1), stepSize = f(2), epsilon = f(3), keep = f(4);
  const float oneMinusBeta1 = 1.f - beta1, oneMinusBeta2 = 1.f - beta2;
#pragma omp parallel for simd schedule(static) if (size > 65536)
  for (int64_t i = 0; i < size; i++) {
    const float newM = m[i] * beta1 + g[i] * oneMinusBeta1;
    const float newV = v[i] * beta2 + g[i] * g[i] * oneMinusBeta2;
    outM[i] = newM;
    outV[i] = newV;
    outW[i] = w[i] * keep - newM / (std::sqrt(newV) + epsilon) * stepSize;
  }
  return info.Env().Undefined();
}

// ------------------------------------------------------------------------------------------------------ plumbing
Napi::Value Implementations(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  for (auto& [kind, impls] : implementations) {
    auto list = Napi::Array::New(info.Env(), impls.size());
    uint32_t i = 0;
    for (auto& impl : impls) list.Set(i++, impl);
    out.Set(kind, list);
  }
  return out;
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto out = Napi::Object::New(info.Env());
  const dnnl_version_t* v = dnnl_version();
  std::ostringstream version;
  version << v->major << '.' << v->minor << '.' << v->patch;
  out.Set("version", version.str());
  out.Set("threads", omp_get_max_threads());
  out.Set("isa", static_cast<int>(get_effective_cpu_isa()));
  size_t cached =
      convForwards.size() + convBackwardDatas.size() + convBackwardWeightss.size() + pools.size() + eltwises.size();
  out.Set("cachedPrimitives", static_cast<double>(cached));
  return out;
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  omp_set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

// dnnl::error and std exceptions become JavaScript errors naming the call.
// setAutotune(on): whether new convolution primitives are timed against each other (see `fastest`) or oneDNN's first
// choice runs (bf16 on AMX first where asked for). Already built primitives keep their choice.
Napi::Value SetAutotune(const Napi::CallbackInfo& info) {
  autotune = info[0].ToBoolean();
  return info.Env().Undefined();
}

// preferImplementation(name): new convolution primitives run the candidate whose implementation name contains `name`
// wherever there is one (tests reach every candidate this way); "" goes back to choosing.
Napi::Value PreferImplementation(const Napi::CallbackInfo& info) {
  preferred = info[0].As<Napi::String>().Utf8Value();
  return info.Env().Undefined();
}

template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const dnnl::error& e) {
    throw Napi::Error::New(info.Env(), std::string("oneDNN: ") + e.what() + " (status " + std::to_string(e.status) + ")");
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("oneDNN addon: ") + e.what());
  }
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2dForward", Napi::Function::New<Guarded<Conv2dForward>>(env));
  exports.Set("conv2dBackwardData", Napi::Function::New<Guarded<Conv2dBackwardData>>(env));
  exports.Set("conv2dBackwardWeights", Napi::Function::New<Guarded<Conv2dBackwardWeights>>(env));
  exports.Set("poolForward", Napi::Function::New<Guarded<PoolForward>>(env));
  exports.Set("poolBackward", Napi::Function::New<Guarded<PoolBackward>>(env));
  exports.Set("batchNormInference", Napi::Function::New<Guarded<BatchNormInferenceFn>>(env));
  exports.Set("batchNormBackward", Napi::Function::New<Guarded<BatchNormBackwardFn>>(env));
  exports.Set("batchNormStats", Napi::Function::New<Guarded<BatchNormStats>>(env));
  exports.Set("matMul", Napi::Function::New<Guarded<MatMul>>(env));
  exports.Set("setAutotune", Napi::Function::New<Guarded<SetAutotune>>(env));
  exports.Set("preferImplementation", Napi::Function::New<Guarded<PreferImplementation>>(env));
  exports.Set("binary", Napi::Function::New<Guarded<Binary>>(env));
  exports.Set("reduceMiddle", Napi::Function::New<Guarded<ReduceMiddle>>(env));
  exports.Set("swish", Napi::Function::New<Guarded<Swish>>(env));
  exports.Set("swishBackward", Napi::Function::New<Guarded<SwishBackward>>(env));
  exports.Set("relu", Napi::Function::New<Guarded<Relu>>(env));
  exports.Set("reluBackward", Napi::Function::New<Guarded<ReluBackward>>(env));
  exports.Set("adamWUpdate", Napi::Function::New<Guarded<AdamWUpdate>>(env));
  exports.Set("implementations", Napi::Function::New<Guarded<Implementations>>(env));
  exports.Set("info", Napi::Function::New<Guarded<Info>>(env));
  exports.Set("setThreads", Napi::Function::New<Guarded<SetThreads>>(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(faceloop_onednn, Init)
