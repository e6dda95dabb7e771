package dev.tollgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The post-processor that makes every kind's conditions a list-map, and refuses a kind without. */
class ConditionListMapsTest {

  @Test
  void declaresTheConditionsAListMapKeyedByType() {
    JSONSchemaProps conditions =
        new JSONSchemaPropsBuilder()
            .withType("array")
            .withNewItems()
            .withNewSchema()
            .withType("object")
            .endSchema()
            .endItems()
            .build();
    CustomResourceDefinition crd =
        crd(
            new JSONSchemaPropsBuilder()
                .withType("object")
                .withProperties(Map.of("conditions", conditions))
                .build());

    new ConditionListMaps().process(crd, "v1");

    assertThat(conditions.getXKubernetesListType()).isEqualTo("map");
    assertThat(conditions.getXKubernetesListMapKeys()).containsExactly("type");
  }

  @Test
  void aKindWithoutConditionsFailsTheBuild() {
    CustomResourceDefinition crd =
        crd(new JSONSchemaPropsBuilder().withType("object").withProperties(Map.of()).build());

    assertThatThrownBy(() -> new ConditionListMaps().process(crd, "v1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "widgets.tollgate.dev version v1alpha1 has no status.conditions list: every Tollgate kind reports conditions");
  }

  private static CustomResourceDefinition crd(JSONSchemaProps status) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName("widgets.tollgate.dev")
        .endMetadata()
        .withNewSpec()
        .addNewVersion()
        .withName("v1alpha1")
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withProperties(Map.of("status", status))
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
