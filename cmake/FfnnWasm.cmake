# The WebAssembly build (the `wasm` preset, or the docs target when
# emscripten is installed): chapters 1-3's libraries, nn-trace's core and
# the kernels, compiled with emscripten into the book's two live modules,
#   live_simd.js    Highway's WASM target (-msimd128, 4 float lanes); the
#                   double kernels are its EMU128 twin's (kernels/simd-inl.h)
#   live_scalar.js  Highway's EMU128 target only, for browsers without SIMD
# each one file with the WebAssembly inside (-sSINGLE_FILE), because a page
# opened from file:// may not fetch a .wasm beside it. No threads (the
# chapters run single-threaded by default), static dispatch
# (kernels/dispatch.h), and stand-ins for the x86-only libhwy
# (tools/live/hwy_standins.cc).

# Only the headers the sources need, never all of /usr/include (its glibc
# headers would shadow emscripten's libc).
set(ffnn_wasm_include ${CMAKE_BINARY_DIR}/wasm_include)
file(MAKE_DIRECTORY ${ffnn_wasm_include})
foreach(pair IN ITEMS "hwy=/usr/include/hwy" "nlohmann=/usr/include/nlohmann"
                      "CLI=/usr/include/CLI")
  string(REPLACE "=" ";" pair ${pair})
  list(GET pair 0 name)
  list(GET pair 1 target)
  if(NOT EXISTS ${target})
    message(FATAL_ERROR "${target} not found: scripts/setup.sh installs it")
  endif()
  file(CREATE_LINK ${target} ${ffnn_wasm_include}/${name} SYMBOLIC)
endforeach()

# emscripten's link step runs its JavaScript tools (acorn) with Node.js; a
# Node.js not from Debian finds Debian's node modules only through NODE_PATH.
set(CMAKE_CXX_LINKER_LAUNCHER ${CMAKE_COMMAND} -E env
    NODE_PATH=/usr/share/nodejs)

set(ffnn_wasm_sources
  kernels/views.cc kernels/parallel.cc kernels/fast.cc kernels/blas.cc
  kernels/gemm.cc kernels/activations.cc kernels/softmax.cc
  kernels/embedding.cc kernels/optim.cc
  chapters/common/worked.cc chapters/common/matrix.cc chapters/common/iris.cc
  chapters/common/gradcheck.cc chapters/common/threads.cc
  chapters/common/errors.cc chapters/common/files.cc chapters/common/text.cc
  chapters/common/memory.cc chapters/common/progress.cc
  chapters/01_perceptron/perceptron.cc chapters/02_mlp/mlp.cc
  chapters/03_backprop/graph.cc chapters/03_backprop/backprop.cc
  chapters/03_backprop/xor_rules.cc chapters/03_backprop/optimizers.cc
  chapters/03_backprop/nn_trace.cc
  tools/live/live.cc tools/live/hwy_standins.cc tools/live/wasm_main.cc)
list(TRANSFORM ffnn_wasm_sources PREPEND ${PROJECT_SOURCE_DIR}/)

# ffnn_live_module(NAME EXPORT_NAME FLAGS...): one module, NAME.js.
function(ffnn_live_module name export_name)
  add_executable(${name} ${ffnn_wasm_sources})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}
                             ${ffnn_wasm_include})
  target_compile_definitions(${name} PRIVATE FFNN_DATA_DIR="/data"
                             FFNN_SPECS_DIR="/specs")
  target_compile_options(${name} PRIVATE -O2 -fexceptions ${ARGN})
  target_link_options(${name} PRIVATE
    -O2 -fexceptions ${ARGN}
    -sSINGLE_FILE=1 -sMODULARIZE=1 -sEXPORT_NAME=${export_name}
    -sENVIRONMENT=web,node -sALLOW_MEMORY_GROWTH=1
    "-sEXPORTED_FUNCTIONS=['_ffnn_live_call','_malloc','_free']"
    "-sEXPORTED_RUNTIME_METHODS=['ccall','lengthBytesUTF8','stringToUTF8','UTF8ToString']"
    "--embed-file=${PROJECT_SOURCE_DIR}/data/iris.csv@/data/iris.csv"
    "--embed-file=${PROJECT_SOURCE_DIR}/chapters/03_backprop/specs@/specs")
  set_target_properties(${name} PROPERTIES SUFFIX ".js")
endfunction()

ffnn_live_module(live_simd FfnnLiveSimd -msimd128 -DHWY_COMPILE_ALL_ATTAINABLE)
ffnn_live_module(live_scalar FfnnLiveScalar -DHWY_COMPILE_ONLY_EMU128)
